using Bot.Core.Cards;
using Bot.Core.Features.Digests;
using Bot.Host.Scheduling;
using Bot.Testing;
using Bot.Testing.Conformance;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Host.Tests.Digests;

/// <summary>The weekly digest as Hangfire schedules it: one job per team in its own zone, and one digest per week whatever runs it.</summary>
public abstract class DigestHostTests(TestProvider provider)
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Directory:Teams:1:Digests:Day"] = "Friday",
        ["Directory:Teams:1:Digests:Time"] = "16:30",
        ["Directory:Teams:0:Digests:LeadershipChannels:playground"] = "#leadership",
    };

    [Fact]
    public async Task EachTeamHasItsJobAtItsLocalTime_AndAWeekIsSentOnce_AndAHandoffAskedOnce_AcrossARestartAndTwoHosts()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var first = new BotAppFactory(database, Settings);
        using (var connection = first.Get<JobStorage>().GetConnection())
        {
            var jobs = connection.GetRecurringJobs();
            var payments = Assert.Single(jobs, j => j.Id == RecurringJobRegistrar.TeamJobId("digests.weekly", "payments"));
            Assert.Equal(("0 9 * * 1", "Europe/Berlin"), (payments.Cron, payments.TimeZoneId));
            var platform = Assert.Single(jobs, j => j.Id == RecurringJobRegistrar.TeamJobId("digests.weekly", "platform"));
            Assert.Equal(("30 16 * * 5", "America/New_York"), (platform.Cron, platform.TimeZoneId));
        }

        // Monday 30 November, 09:00 in Berlin: a second host on the same database runs the same slot at the same moment.
        first.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
        await using var second = new BotAppFactory(database, Settings);
        second.Clock.SetUtcNow(first.Clock.GetUtcNow());
        var runners = new[] { first, second }.Select(h => ActivatorUtilities.CreateInstance<RecurringJobRunner>(h.Services)).ToArray();
        await Task.WhenAll(runners.Select(r => r.RunForTeamAsync("digests.weekly", "payments", CancellationToken.None)));
        await runners[0].RunForTeamAsync("digests.weekly", "payments", CancellationToken.None);
        // It is also Payments' on-call hand-off: both hosts' check-in sweeps run at once.
        await Task.WhenAll(runners.Select(r => AtOnceAsync(() => r.RunAsync("digests.check-ins", CancellationToken.None))));

        // And after a restart, the job runs again for the same week.
        await using (var restarted = new BotAppFactory(database, Settings))
        {
            restarted.Clock.SetUtcNow(first.Clock.GetUtcNow());
            var runner = ActivatorUtilities.CreateInstance<RecurringJobRunner>(restarted.Services);
            await runner.RunForTeamAsync("digests.weekly", "payments", CancellationToken.None);
            await runner.RunAsync("digests.check-ins", CancellationToken.None);
        }

        var chat = new PlaygroundDriver(first.Playground());
        var digest = await chat.DirectMessageAsync("lee", m => m.Text.Contains("Culture health: Payments, week 2026-W48"), "Lee's digest");
        Assert.Contains("A quiet week", digest.Text);
        Assert.Single(await chat.DirectMessagesAsync("lee"), m => m.Text.Contains("Culture health"));
        // Bea, whose week on call ended, was asked to check in once.
        await chat.DirectMessageAsync("bea", m => m.Text.Contains("Your on-call shift for Payments ended"), "Bea's check-in");
        Assert.Single(await chat.DirectMessagesAsync("bea"), m => m.Text.Contains("Your on-call shift"));
        Assert.Equal(1, await first.WithDbAsync(db => db.CheckIns.CountAsync()));
        // The leadership channel got it once too.
        var leadership = await first.WithDbAsync(db => db.LivingCards.Where(c => c.Purpose == "payments:leadership").ToListAsync());
        Assert.Equal(("#leadership", true), (Assert.Single(leadership).ConversationId, leadership[0].Posted));
    }

    /// <summary>
    /// One of two runs at the same moment: the one that finds the other's claim on a message fails rather than count it
    /// as sent (the other may have died); the run after it finds the message sent.
    /// </summary>
    private static async Task AtOnceAsync(Func<Task> run)
    {
        try
        {
            await run();
        }
        catch (Bot.Core.Cards.ClaimHeldException)
        {
        }
    }
}

public sealed class DigestHostOnSqlite() : DigestHostTests(TestProvider.Sqlite);

public sealed class DigestHostOnPostgres() : DigestHostTests(TestProvider.Postgres);
