using Bot.Channels.Slack;
using Bot.Core.Scheduling;
using Microsoft.Extensions.Options;

namespace Bot.Channels.Slack.Tests;

public sealed class SlackChannelPacerTests
{
    [Fact]
    public async Task AChannelsQueue_StaysShorterThanHalfAClaimLease_BeyondItASendFailsAtOnce()
    {
        // One post a second and a 3-second claim lease: one send may wait, so none waits past half the lease.
        var pacer = new SlackChannelPacer(Options.Create(new SlackOptions { PostInterval = TimeSpan.FromSeconds(1) }),
            Options.Create(new SchedulingOptions { ClaimLease = TimeSpan.FromSeconds(3) }));
        Assert.Equal(1, pacer.Limit);
        await pacer.AcquireAsync("C0BURST", CancellationToken.None);
        var waiting = pacer.AcquireAsync("C0BURST", CancellationToken.None).AsTask();
        var full = await Assert.ThrowsAsync<SlackApiException>(() => pacer.AcquireAsync("C0BURST", CancellationToken.None).AsTask());
        Assert.Contains("local_post_queue_full", full.Message);
        // Another channel is not held up, and the one that waited gets its turn.
        await pacer.AcquireAsync("C0OTHER", CancellationToken.None);
        await waiting;
    }

    [Fact]
    public void WithTheDefaults_AChannelKeeps150SendsWaiting_TwoAndAHalfMinutesOfPosts()
    {
        var pacer = new SlackChannelPacer(Options.Create(new SlackOptions()), Options.Create(new SchedulingOptions()));
        Assert.Equal(150, pacer.Limit);
    }
}
