using Bot.Core.Directory;
using Bot.Core.Features.Digests;
using Bot.Core.Scheduling;
using Bot.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Tests.Features.Digests;

/// <summary>/digest and the weekly job on Core with a real database. Lee manages Payments (Berlin), Ana manages Platform (New York).</summary>
public abstract class DigestFlowTests(TestProvider provider)
{
    private static ITeamRecurringJob Job(CoreHarness core) => core.Services.GetServices<ITeamRecurringJob>().Single(j => j.Id == "digests.weekly");

    private static async Task RaiseAsync(CoreChat chat)
    {
        await chat.CommandAsync("ana", "/escalate checkout is slow");
        Assert.True((await chat.SubmitAsync("ana", chat.LastForm("ana"), ("summary", "Checkout is slow"), ("service", "checkout"), ("impact", "Degraded"))).IsAccepted);
        await chat.RunDueAsync();
    }

    [Fact]
    public async Task Digest_ManagersSeeTheFullOne_OthersTheirTeamsSummary_NobodyAnotherTeamsDetails()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        await RaiseAsync(chat);

        await chat.CommandAsync("lee", "/digest");
        var full = chat.LastReply("lee");
        Assert.Contains("Culture health: Payments, this week so far (2026-W48)", full);
        Assert.Contains("• Escalations raised: 1", full);
        Assert.Contains("*Worth a look*", full);
        Assert.Contains("no data yet (end-of-shift check-ins are not recorded yet)", full);

        await chat.CommandAsync("kim", "/digest");
        var summary = chat.LastReply("kim");
        Assert.Contains("Payments, this week so far", summary);
        Assert.Contains("• Escalations raised: 1", summary);
        Assert.DoesNotContain("Worth a look", summary);

        await chat.CommandAsync("raj", "/digest");
        var platform = chat.LastReply("raj");
        Assert.Contains("Platform", platform);
        Assert.DoesNotContain("Payments", platform);
    }

    [Fact]
    public async Task WeeklyJob_SendsLastWeeksDigestToEachManagerOnce_EvenRunTwice()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        await RaiseAsync(chat);
        Assert.Equal(RecurringSchedule.Weekly(DayOfWeek.Monday, new TimeOnly(9, 0), "Europe/Berlin"),
            Job(core).ScheduleFor(await core.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Teams, t => t.Key == "payments"))));

        // Monday 30 November, 09:00 in Berlin: the digest of week 48.
        core.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
        await Job(core).RunAsync("payments", CancellationToken.None);
        await Job(core).RunAsync("payments", CancellationToken.None);
        var digest = CoreChat.Text(Assert.Single(chat.DirectMessages("lee")));
        Assert.Contains("Culture health: Payments, week 2026-W48 (23 Nov – 29 Nov)", digest);
        Assert.Contains("• Escalations raised: 1", digest);
        Assert.Empty(chat.DirectMessages("ana"));

        // Platform had a quiet week: its digest says so rather than staying silent.
        await Job(core).RunAsync("platform", CancellationToken.None);
        Assert.Contains("A quiet week", CoreChat.Text(Assert.Single(chat.DirectMessages("ana"))));
    }
}

public sealed class DigestFlowOnSqlite() : DigestFlowTests(TestProvider.Sqlite);

public sealed class DigestFlowOnPostgres() : DigestFlowTests(TestProvider.Postgres);
