using Bot.Channels.Slack;
using Bot.Testing;
using Bot.Testing.Conformance;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Host.Tests.Slack;

public sealed class SlackPacingTests
{
    [Fact]
    public async Task BurstToOneChannel_PostsAndUpdates_IsSpacedByThePostInterval_OtherChannelsAreNotHeldUp()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        var settings = new Dictionary<string, string?>(SlackDriver.Settings(slack)) { ["Slack:PostInterval"] = "00:00:00.300" };
        await using var host = new BotAppFactory(database, settings);
        await using var scope = host.Services.CreateAsyncScope();
        var api = scope.ServiceProvider.GetRequiredService<SlackApiClient>();
        // The first call of a fresh client also opens its connection; made first elsewhere, so the burst's arrival times show only the pacing.
        await api.PostMessageAsync("C0WARMUP", [], "warm-up", CancellationToken.None);

        await Task.WhenAll(
            Enumerable.Range(0, 4).Select(i => (Task)api.PostMessageAsync("C0BURST", [], "burst " + i, CancellationToken.None))
                .Append(api.UpdateAsync("C0BURST", "1.000001", [], "a card rewritten", CancellationToken.None))
                .Append(api.PostMessageAsync("C0OTHER", [], "other", CancellationToken.None)));

        var burst = slack.Calls.Where(c => c.Method is "chat.postMessage" or "chat.update" && c.Body.Str("channel") == "C0BURST").Select(c => c.At).Order().ToArray();
        Assert.Equal(5, burst.Length);
        for (var i = 1; i < burst.Length; i++)
            Assert.True(burst[i] - burst[i - 1] >= TimeSpan.FromMilliseconds(250), $"posts {i - 1} and {i} were {(burst[i] - burst[i - 1]).TotalMilliseconds} ms apart");
        var other = slack.Of("chat.postMessage").Single(c => c.Body.Str("channel") == "C0OTHER").At;
        Assert.True(other < burst[1], "a post to another channel waited for the burst");
    }
}
