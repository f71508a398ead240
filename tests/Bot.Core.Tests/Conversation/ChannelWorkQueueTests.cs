using Bot.Core.Conversation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Core.Tests.Conversation;

/// <summary>A channel's work queue on shutdown: acknowledged work exists nowhere else, so it is run, not dropped.</summary>
public sealed class ChannelWorkQueueTests
{
    private sealed class Settings : IWorkQueueSettings
    {
        public int WorkQueueCapacity => 100;
        public int Workers => 2;
    }

    private static ChannelWorkQueue<Settings> Queue() =>
        new(new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>(), Options.Create(new Settings()),
            NullLogger<ChannelWorkQueue<Settings>>.Instance);

    [Fact]
    public async Task Drain_RunsEveryQueuedItem_ThenTakesNoMore()
    {
        var queue = Queue();
        await queue.StartAsync(CancellationToken.None);
        var gate = new TaskCompletionSource();
        var ran = 0;
        for (var i = 0; i < 50; i++)
        {
            await queue.EnqueueAsync("item", async (_, _) =>
            {
                await gate.Task;
                Interlocked.Increment(ref ran);
            }, CancellationToken.None);
        }

        var draining = queue.DrainAsync(CancellationToken.None);
        Assert.False(draining.IsCompleted);
        gate.SetResult();
        await draining;

        Assert.Equal(50, ran);
        await Assert.ThrowsAnyAsync<InvalidOperationException>(async () => await queue.EnqueueAsync("late", (_, _) => Task.CompletedTask, CancellationToken.None));
        await queue.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Drain_StopsWaiting_WhenTheShutdownTimeoutFires()
    {
        var queue = Queue();
        await queue.StartAsync(CancellationToken.None);
        await queue.EnqueueAsync("stuck", (_, ct) => Task.Delay(Timeout.Infinite, ct), CancellationToken.None);

        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.DrainAsync(timeout.Token));
        await queue.StopAsync(CancellationToken.None);
    }
}
