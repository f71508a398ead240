using System.Text.Json.Nodes;
using Bot.Channels.Slack;
using Bot.Testing;
using Bot.Testing.Conformance;

namespace Bot.Host.Tests.Reliability;

/// <summary>
/// Two hosts on one PostgreSQL (in this process), both in Socket Mode: Slack spreads envelopes over their four
/// connections, and an event it delivers again, to whichever connection, has one effect.
/// </summary>
public sealed class TwoHostSocketModeTests
{
    private static JsonObject DmEvent(string eventId) => new()
    {
        ["token"] = "t", ["team_id"] = "T0TEAM", ["api_app_id"] = "A0BOT", ["type"] = "event_callback", ["event_id"] = eventId, ["event_time"] = 1700000000,
        ["event"] = new JsonObject
        {
            ["type"] = "message", ["channel_type"] = "im", ["channel"] = "D0ANA", ["user"] = "U0ANA00005", ["text"] = "help",
            ["ts"] = "1700000001.000100", ["event_ts"] = "1700000001.000100",
        },
    };

    [Fact]
    public async Task EventsDeliveredAgainOverEitherHost_HaveOneEffectEach()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        await using var socket = await FakeSlackSocketMode.StartAsync(slack);
        await using var database = await TestDatabase.CreateAsync(TestProvider.Postgres);
        await using var a = new BotAppFactory(database, SlackDriver.SocketModeSettings(slack));
        a.CreateClient();
        await using var b = new BotAppFactory(database, SlackDriver.SocketModeSettings(slack));
        b.CreateClient();
        await socket.WaitForOpenAsync(4);

        // Each event three times (Slack's retries), in new envelopes, round-robin over the four connections.
        for (var i = 0; i < 10; i++)
        {
            for (var attempt = 0; attempt < 3; attempt++)
                Assert.NotNull(await socket.DeliverAsync("events_api", DmEvent("Ev0TWO" + i), retryAttempt: attempt));
        }

        await Eventually.GetAsync(() => Task.FromResult(slack.Of("chat.postEphemeral").Count()), n => n >= 10, "ten answers");
        await Task.Delay(500);
        Assert.Equal(10, slack.Of("chat.postEphemeral").Count());
        Assert.Equal(4, socket.OpenLinks.Count);
    }
}
