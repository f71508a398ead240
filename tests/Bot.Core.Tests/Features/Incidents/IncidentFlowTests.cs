using Bot.Core.Conversation;
using Bot.Core.Events;
using Bot.Core.Features.Incidents;
using Bot.Core.Features.Reviews;
using Bot.Core.Flows;
using Bot.Core.Scheduling;
using Bot.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Tests.Features.Incidents;

/// <summary>The incident card's buttons and the review trigger, on Core with a recording channel.</summary>
public sealed class IncidentFlowTests
{
    private static Interaction As(string key, string name) => new("playground", new Actor(key, name), new ConversationAddress("playground", "#payments"));

    private static IncidentReport Report(ReportedStatus status) =>
        new("webhook", "PD-1", "Checkout 500s", "checkout", 2, status, null, new DateTimeOffset(2026, 11, 23, 9, 50, 0, TimeSpan.Zero),
            status == ReportedStatus.Resolved ? new DateTimeOffset(2026, 11, 23, 10, 20, 0, TimeSpan.Zero) : null);

    private static async Task ClickAsync(CoreHarness core, Interaction who, ActionId action, long id)
    {
        await using var scope = core.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BotRouter>().HandleActionAsync(who, new ButtonAction(action, id.ToString(System.Globalization.CultureInfo.InvariantCulture), null), CancellationToken.None);
    }

    private static string Replies(CoreHarness core) =>
        string.Join("\n", core.Channel.Of(nameof(IChatChannel.ReplyPrivatelyAsync)).Select(c => ((TextBlock)c.Message!.Blocks[0]).Markdown));

    [Fact]
    public async Task OnIt_FromAStaleCard_TheSecondPersonIsTold_AndOneAcknowledgementIsStored()
    {
        await using var core = await CoreHarness.CreateAsync();
        var (_, incident) = await core.WithDbAsync(db => IncidentIntake.ApplyAsync(db, Report(ReportedStatus.Open), core.Clock.GetUtcNow(), CancellationToken.None));

        await ClickAsync(core, As("bea", "Bea Okafor"), IncidentMessages.OnIt, incident.Id);
        await ClickAsync(core, As("kim", "Kim Laine"), IncidentMessages.OnIt, incident.Id);

        Assert.Contains("You're on INC-", Replies(core));
        Assert.Contains("Bea Okafor is already on INC-", Replies(core));
        var stored = await core.WithDbAsync(db => db.Incidents.Include(i => i.Timeline).SingleAsync());
        Assert.Equal("Bea Okafor", stored.AcknowledgedBy);
        Assert.Single(stored.Timeline, e => e.Kind == IncidentEventKind.Acknowledged);
        // A webhook incident has no tool to write back to: the write-back reminder is a no-op there, but it is scheduled once.
        Assert.Equal(1, await core.WithDbAsync(db => db.Reminders.CountAsync(r => r.Kind == IncidentReminders.Note)));
    }

    [Fact]
    public async Task Resolving_AsksForTheReviewOnce_EvenWhenReopenedAndResolvedAgain()
    {
        await using var core = await CoreHarness.CreateAsync();
        var now = core.Clock.GetUtcNow();
        await core.WithDbAsync(db => IncidentIntake.ApplyAsync(db, Report(ReportedStatus.Open), now, CancellationToken.None));
        await core.WithDbAsync(db => IncidentIntake.ApplyAsync(db, Report(ReportedStatus.Resolved), now, CancellationToken.None));
        await core.WithDbAsync(db => IncidentIntake.ApplyAsync(db, Report(ReportedStatus.Open) with { AsOf = now.AddHours(1) }, now, CancellationToken.None));
        await core.WithDbAsync(db => IncidentIntake.ApplyAsync(db, Report(ReportedStatus.Resolved) with { AsOf = now.AddHours(2) }, now, CancellationToken.None));

        // Each resolution is announced; the reviews feature asks once.
        var runner = core.Services.GetRequiredService<ReminderRunner>();
        while (await runner.RunDueAsync(CancellationToken.None) > 0) { }
        Assert.Equal(2, await core.WithDbAsync(db => db.FeatureEvents.CountAsync(e => e.Type == nameof(IncidentResolved))));
        var review = Assert.Single(await core.WithDbAsync(db => db.Reviews.ToListAsync()));
        Assert.Single(await core.WithDbAsync(db => db.FeatureEvents.Where(e => e.Type == nameof(ReviewRequested)).ToListAsync()));
        var stored = await core.WithDbAsync(db => db.Incidents.Include(i => i.Timeline).SingleAsync());
        Assert.NotNull(stored.ReviewRequestedAt);
        Assert.Equal(review.Id, stored.ReviewId);
        Assert.Single(stored.Timeline, e => e.Kind == IncidentEventKind.ReviewRequested);
    }
}
