namespace Bot.Host.Operations;

/// <summary>
/// A chat bot spends most of its life idle: once the host has started and settled, one aggressive collection hands
/// the start-up garbage (configuration binding, model building, migrations, seeding) back to the system.
/// </summary>
public sealed class IdleTrim(IHostApplicationLifetime lifetime, TimeProvider clock) : BackgroundService
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
            await started.Task;
        await Task.Delay(Settle, clock, stoppingToken);
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
