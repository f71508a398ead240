using Bot.Core.Cards;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Events;
using Bot.Core.Features.Incidents;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Features.Reviews;

public static class ReviewReminders
{
    /// <summary>Ask the incident's team for a blameless review: once per incident, however often it is resolved.</summary>
    public static readonly ReminderKind Ask = new("incident.review");

    public const string Purpose = "review";
}

/// <summary>A resolved incident asks for a review; the dedupe key keeps it to one per incident, also across reopen and resolve.</summary>
public sealed class AskForReviewOnResolve(TimeProvider clock) : IEventSubscriber<IncidentResolved>
{
    public string Name => "reviews.ask-on-resolve";

    public Task HandleAsync(IncidentResolved e, EventDelivery delivery, BotDbContext db, CancellationToken ct) =>
        db.ScheduleOnceAsync(ReviewReminders.Ask, e.IncidentId, clock.GetUtcNow(), $"incident:{e.IncidentId}:review", ct);
}

/// <summary>Posts the review prompt to the incident team's channels (once per channel) and announces that the review was asked for.</summary>
public sealed class AskForReviewHandler(LivingCards cards, TimeProvider clock) : IReminderHandler
{
    public string Kind => ReviewReminders.Ask;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        if (await IncidentReadModel.FindAsync(db, reminder.SubjectId, ct) is not { } incident) return;
        var team = incident.TeamKey is null ? null : await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Key == incident.TeamKey, ct);
        await cards.PostOnceAsync(db, IncidentCards.Of(incident.Id), ReviewReminders.Purpose, await cards.TeamTargetsAsync(db, incident.TeamKey, ct),
            RenderedCard.Fixed(ReviewMessages.Prompt(incident, team)), ct);
        if (!await db.FeatureEvents.AnyAsync(x => x.Type == nameof(ReviewRequested) && x.SubjectId == incident.Id, ct))
            db.Publish(new ReviewRequested(incident.Id), clock.GetUtcNow());
    }
}
