using Bot.Channels.Slack;
using Bot.Core.Cards;
using Bot.Core.Features.Escalation;
using Bot.Core.Scheduling;
using Bot.Testing;
using Bot.Testing.Conformance;
using Microsoft.EntityFrameworkCore;

namespace Bot.Host.Tests.Slack;

/// <summary>
/// A post Slack accepted whose answer never reached the bot (a crash, a timeout, a dropped connection) is found again
/// by its metadata, not sent twice.
/// </summary>
public abstract class SlackLostPostTests(TestProvider provider)
{
    [Theory]
    [InlineData(":card")] // the card in the team channel
    [InlineData(":page:")] // the page, a direct message
    [InlineData(":thanks")] // the thanks, a direct message
    public async Task APostWhoseAnswerWasLost_IsLookedUp_AndNotPostedAgain(string lost)
    {
        await using var slack = await FakeSlackApi.StartAsync();
        await using var database = await TestDatabase.CreateAsync(provider);
        // Nobody acknowledges: a long acknowledgement timeout keeps the escalation at its first level while the clock moves.
        var settings = new Dictionary<string, string?>(SlackDriver.Settings(slack)) { ["Escalation:DefaultAckTimeouts:Now"] = "01:00:00" };
        await using var host = new BotAppFactory(database, settings);
        var driver = new SlackDriver(host, host.CreateClient(), slack);

        // Slack posts it, but its answer is dropped.
        slack.PostThenDropNext(body => body.Str("metadata", "event_payload", "key")?.Contains(lost, StringComparison.Ordinal) == true);
        await driver.CommandAsync("ana", "/escalate checkout is failing");
        var form = await driver.FormAsync("ana", EscalationForms.RaiseId);
        Assert.True((await driver.SubmitAsync("ana", form, EscalationScenarios.ValidForm())).Accepted);

        // The failed reminder is retried at once by the next sweep, which looks the post up in the conversation's history.
        // A sweep interval at a time, at most ten (well inside the hour before anyone is re-paged).
        for (var sweep = 0; ; sweep++)
        {
            host.Clock.Advance(TimeSpan.FromSeconds(31));
            try
            {
                // The three posts recorded, and the page's reminder done (it records the page after its post is recorded).
                await Eventually.TrueAsync(async () => await host.WithDbAsync(async db => await db.LivingCards.CountAsync(c => c.MessageId != "") == 3
                        && await db.EscalationEvents.AnyAsync(e => e.Kind == EscalationEventKind.Paged)),
                    "all three recorded", TimeSpan.FromSeconds(3));
                break;
            }
            catch (TimeoutException) when (sweep < 10)
            {
            }
        }
        Assert.NotEmpty(slack.Of("conversations.history"));

        var posts = slack.Of("chat.postMessage").Select(c => (c.Body.Str("channel"), c.Body.Str("metadata", "event_payload", "key"))).ToList();
        Assert.All(posts, p => Assert.NotNull(p.Item2));
        Assert.Equal(posts.Distinct().Count(), posts.Count);
        Assert.Contains(posts, p => p.Item2!.EndsWith(":" + LivingCards.Card, StringComparison.Ordinal));
        Assert.Contains(posts, p => p.Item2!.Contains(":page:", StringComparison.Ordinal));
        Assert.Contains(posts, p => p.Item2!.EndsWith(":thanks", StringComparison.Ordinal));
        // The bot knows where its post is, found or made, and recorded the page once.
        Assert.Equal(3, await host.WithDbAsync(db => db.LivingCards.CountAsync(c => c.MessageId != "")));
        Assert.Equal(1, await host.WithDbAsync(db => db.EscalationEvents.CountAsync(e => e.Kind == EscalationEventKind.Paged)));
    }

    [Fact]
    public async Task AReplyInAThreadWhoseAnswerWasLost_IsLookedUpInThatThread_AndNotPostedAgain()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        await using var database = await TestDatabase.CreateAsync(provider);
        var settings = new Dictionary<string, string?>(SlackDriver.Settings(slack)) { ["Escalation:DefaultAckTimeouts:Now"] = "01:00:00" };
        await using var host = new BotAppFactory(database, settings);
        var driver = new SlackDriver(host, host.CreateClient(), slack);
        const string messageTs = "1700000100.000100";

        // "Escalate this message": the reply in the message's thread is posted, but its answer is dropped.
        slack.PostThenDropNext(body => body.Str("thread_ts") == messageTs);
        await driver.MessageShortcutAsync("ana", "escalate_message", SlackDriver.GeneralChannel, messageTs, "is checkout slow for anyone?");
        var form = await driver.FormAsync("ana", EscalationForms.RaiseId);
        Assert.True((await driver.SubmitAsync("ana", form, EscalationScenarios.ValidForm())).Accepted);

        // A thread's replies are not in the channel's history: the retry reads the thread, finds the reply and records it.
        for (var sweep = 0; ; sweep++)
        {
            host.Clock.Advance(TimeSpan.FromSeconds(31));
            try
            {
                await Eventually.TrueAsync(() => host.WithDbAsync(db => db.LivingCards.AnyAsync(c => c.Purpose == "source-reply" && c.MessageId != "")),
                    "the reply recorded", TimeSpan.FromSeconds(3));
                break;
            }
            catch (TimeoutException) when (sweep < 10)
            {
            }
        }
        Assert.Contains(slack.Of("conversations.replies"), c => c.Body.Str("ts") == messageTs);
        Assert.Single(slack.Of("chat.postMessage"), c => c.Body.Str("thread_ts") == messageTs);
    }
}

public sealed class SlackLostPostOnSqlite() : SlackLostPostTests(TestProvider.Sqlite);

public sealed class SlackLostPostOnPostgres() : SlackLostPostTests(TestProvider.Postgres);
