using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Core.Conversation;

/// <summary>
/// Work that follows an acknowledged chat request (a command, a click, an event), run in this process within
/// milliseconds, each item in its own DI scope. The queue is bounded: when the work falls behind, acknowledgements
/// wait for room (backpressure) instead of queueing work whose platform token would expire before it runs.
/// Each channel has its own queue, sized by its own settings (<typeparamref name="TOptions"/>).
/// </summary>
public sealed partial class ChannelWorkQueue<TOptions>(IServiceScopeFactory scopes, IOptions<TOptions> options, ILogger<ChannelWorkQueue<TOptions>> logger)
    : BackgroundService, IDrainOnShutdown where TOptions : class, IWorkQueueSettings
{
    private readonly int _workers = options.Value.Workers;

    private readonly Channel<(string What, Func<IServiceProvider, CancellationToken, Task> Work)> _queue =
        Channel.CreateBounded<(string, Func<IServiceProvider, CancellationToken, Task>)>(new BoundedChannelOptions(options.Value.WorkQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
        });

    public ValueTask EnqueueAsync(string what, Func<IServiceProvider, CancellationToken, Task> work, CancellationToken ct) =>
        _queue.Writer.WriteAsync((what, work), ct);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _workers).Select(_ => Task.Run(() => WorkAsync(stoppingToken), stoppingToken)));

    public DrainStage Stage => DrainStage.Work;

    /// <summary>
    /// Takes nothing more and runs what was acknowledged already: that work exists nowhere else (the platform was told it
    /// arrived), so it is finished rather than dropped, within the shutdown timeout.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await (ExecuteTask ?? Task.CompletedTask).WaitAsync(cancellationToken);
    }

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
                LogFailed(logger, ex, typeof(TOptions).Name, what);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Queue} work {What} failed")]
    private static partial void LogFailed(ILogger logger, Exception ex, string queue, string what);
}

/// <summary>A channel's settings for its work queue.</summary>
public interface IWorkQueueSettings
{
    /// <summary>Acknowledged work that may wait; beyond it acknowledgements wait for room.</summary>
    int WorkQueueCapacity { get; }

    int Workers { get; }
}

public static class ChannelWorkQueues
{
    /// <summary>A channel's work queue, running while the host runs.</summary>
    public static IServiceCollection AddChannelWorkQueue<TOptions>(this IServiceCollection services) where TOptions : class, IWorkQueueSettings
    {
        services.AddSingleton<ChannelWorkQueue<TOptions>>();
        services.AddHostedService(sp => sp.GetRequiredService<ChannelWorkQueue<TOptions>>());
        services.AddSingleton<IDrainOnShutdown>(sp => sp.GetRequiredService<ChannelWorkQueue<TOptions>>());
        return services;
    }
}
