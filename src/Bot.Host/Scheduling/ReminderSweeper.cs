using Bot.Core;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Microsoft.Extensions.Options;

namespace Bot.Host.Scheduling;

/// <summary>
/// The backstop on every host: forgets week-old inbound delivery ids, and performs due reminders whose dispatch was lost, whose worker crashed, or whose
/// Hangfire job waits behind a lock a crashed server still holds. Claims make running it on every host harmless.
/// </summary>
public sealed partial class ReminderSweeper(
    ReminderRunner runner,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<SchedulingOptions> options,
    ILogger<ReminderSweeper> logger) : BackgroundService, IDrainOnShutdown
{
    public DrainStage Stage => DrainStage.Scheduled;

    /// <summary>Sweeps no more; a reminder being run when the sweep is stopped is handed back by its runner, due as it was.</summary>
    public Task DrainAsync(CancellationToken cancellationToken) => StopAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        while (await NextTickAsync(timer, stoppingToken))
        {
            try
            {
                var performed = await runner.RunDueAsync(stoppingToken);
                if (performed > 0) LogSwept(logger, performed);
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<BotDbContext>().ForgetOldDeliveriesAsync(clock.GetUtcNow(), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Stopped mid-sweep: the reminder being run was handed back.
                return;
            }
            catch (Exception ex)
            {
                LogSweepFailed(logger, ex);
            }
        }
    }

    /// <summary>False once stopped: a stop (or a drain) ends the sweeping quietly, not as a failed background service.</summary>
    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep performed {Count} overdue reminders")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminder sweep failed; it runs again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception ex);
}
