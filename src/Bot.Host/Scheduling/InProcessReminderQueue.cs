using System.Threading.Channels;
using Bot.Core;
using Bot.Core.Scheduling;

namespace Bot.Host.Scheduling;

/// <summary>Runs due-now reminders in this process right away, so chat effects follow a click within moments.</summary>
public sealed class InProcessReminderQueue(ReminderRunner runner) : BackgroundService, IDrainOnShutdown
{
    private readonly Channel<long> _queue = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = false });
    private volatile bool _draining;

    public void Enqueue(long reminderId) => _queue.Writer.TryWrite(reminderId);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => WorkAsync(stoppingToken), stoppingToken)));

    public DrainStage Stage => DrainStage.Scheduled;

    /// <summary>
    /// Runs to their end the reminders being run, and takes no more: the ones waiting here are rows still pending, which
    /// Hangfire's copy of their job or another host's sweep performs.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        _queue.Writer.TryComplete();
        await (ExecuteTask ?? Task.CompletedTask).WaitAsync(cancellationToken);
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        await foreach (var id in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            if (_draining) continue;
            try
            {
                await runner.RunAsync(id, stoppingToken);
            }
            catch (Exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Logged and released by the runner; Hangfire's copy of the job retries it.
            }
        }
    }
}
