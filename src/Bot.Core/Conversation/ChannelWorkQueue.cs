using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Conversation;

/// <summary>
/// Work that follows an acknowledged chat request (a command, a click, an event), run in this process within
/// milliseconds, each item in its own DI scope. The queue is bounded: when the work falls behind, acknowledgements
/// wait for room (backpressure) instead of queueing work whose platform token would expire before it runs.
/// Each channel derives its own queue, sized by its own settings.
/// </summary>
public abstract partial class ChannelWorkQueue(IServiceScopeFactory scopes, int capacity, int workers, ILogger logger) : BackgroundService
{
    private readonly Channel<(string What, Func<IServiceProvider, CancellationToken, Task> Work)> _queue =
        Channel.CreateBounded<(string, Func<IServiceProvider, CancellationToken, Task>)>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
        });

    public ValueTask EnqueueAsync(string what, Func<IServiceProvider, CancellationToken, Task> work, CancellationToken ct) =>
        _queue.Writer.WriteAsync((what, work), ct);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkAsync(stoppingToken), stoppingToken)));

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
                LogFailed(logger, ex, GetType().Name, what);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Queue} work {What} failed")]
    private static partial void LogFailed(ILogger logger, Exception ex, string queue, string what);
}
