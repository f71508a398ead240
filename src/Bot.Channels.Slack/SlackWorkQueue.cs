using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Channels.Slack;

/// <summary>
/// Work that follows an acknowledged Slack request (a command, a click, an event), run in this process within
/// milliseconds so a trigger_id is still valid, each item in its own DI scope. The queue is bounded: when the
/// work falls behind, acknowledgements wait for room (backpressure) instead of queueing work whose trigger_id
/// would expire before it runs.
/// </summary>
public sealed partial class SlackWorkQueue(IServiceScopeFactory scopes, IOptions<SlackOptions> options, ILogger<SlackWorkQueue> logger) : BackgroundService
{
    private readonly Channel<(string What, Func<IServiceProvider, CancellationToken, Task> Work)> _queue =
        Channel.CreateBounded<(string, Func<IServiceProvider, CancellationToken, Task>)>(new BoundedChannelOptions(options.Value.WorkQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
        });

    public ValueTask EnqueueAsync(string what, Func<IServiceProvider, CancellationToken, Task> work, CancellationToken ct) =>
        _queue.Writer.WriteAsync((what, work), ct);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.Workers).Select(_ => Task.Run(() => WorkAsync(stoppingToken), stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        await foreach (var (what, work) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await work(scope.ServiceProvider, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, ex, what);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack work {What} failed")]
    private static partial void LogFailed(ILogger logger, Exception ex, string what);
}
