using System.Threading.Channels;
using Bot.Core.Scheduling;

namespace Bot.Host.Scheduling;

/// <summary>Runs due-now reminders in this process right away, so chat effects follow a click within moments.</summary>
public sealed class InProcessReminderQueue(ReminderRunner runner) : BackgroundService
{
    private readonly Channel<long> _queue = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = false });

    public void Enqueue(long reminderId) => _queue.Writer.TryWrite(reminderId);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => WorkAsync(stoppingToken), stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        await foreach (var id in _queue.Reader.ReadAllAsync(stoppingToken))
        {
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
