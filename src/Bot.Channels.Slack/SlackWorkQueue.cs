using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bot.Channels.Slack;

/// <summary>
/// Work that follows an acknowledged Slack request (a command, a click, an event), run in this process within
/// milliseconds so a trigger_id is still valid, each item in its own DI scope.
/// </summary>
public sealed partial class SlackWorkQueue(IServiceScopeFactory scopes, ILogger<SlackWorkQueue> logger) : BackgroundService
{
    private const int Workers = 2;
    private readonly Channel<(string What, Func<IServiceProvider, CancellationToken, Task> Work)> _queue =
        Channel.CreateUnbounded<(string, Func<IServiceProvider, CancellationToken, Task>)>();

    public void Enqueue(string what, Func<IServiceProvider, CancellationToken, Task> work) => _queue.Writer.TryWrite((what, work));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(() => WorkAsync(stoppingToken), stoppingToken)));

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
