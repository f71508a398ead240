using Bot.Core.Directory;
using Bot.Core.Events;
using Bot.Core.Features.Escalation;
using Bot.Core.Features.Incidents;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Features.Reviews;

/// <summary>
/// Starts the one review of an incident or an escalation, whatever triggers it and however often: the unique keys on
/// the review make a twin fail, and every reminder it schedules has a dedupe key.
/// </summary>
public sealed class ReviewStarter(TeamSettings<ReviewTeamSettings> settings)
{
    public sealed record Started(Review Review, bool IsNew);

    /// <summary>The review of an incident, started now when there is none. Null when the incident is unknown or has no team.</summary>
    public async Task<Started?> ForIncidentAsync(BotDbContext db, long incidentId, string startedBy, bool promptNow, DateTimeOffset now, CancellationToken ct)
    {
        if (await db.Reviews.FirstOrDefaultAsync(r => r.IncidentId == incidentId, ct) is { } existing) return new(existing, false);
        if (await IncidentReadModel.FindAsync(db, incidentId, ct) is not { TeamKey: { } teamKey } incident) return null;
        var escalationId = await EscalationReadModel.OfIncidentAsync(db, incidentId, ct);
        if (escalationId is { } e && await db.Reviews.FirstOrDefaultAsync(r => r.EscalationId == e, ct) is { } ofEscalation)
            return new(ofEscalation, false);
        var escalation = escalationId is { } id ? await EscalationReadModel.FindAsync(db, id, ct) : null;
        var team = await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Key == teamKey, ct);
        if (team is null) return null;
        var resolvedAt = incident.ResolvedAt ?? now;
        var owner = await OwnerAsync(db, team, incident.AcknowledgedBy, escalation?.AcknowledgedByKey, resolvedAt, ct);
        var review = New(team, owner, $"{incident.Reference}: {incident.Title}", incident.Impact, resolvedAt, startedBy, now);
        review.IncidentId = incidentId;
        review.EscalationId = escalationId;
        return await SaveOrFindAsync(db, review, team, promptNow, now, r => r.IncidentId == incidentId, ct);
    }

    /// <summary>The review of an escalation (of its incident, when one was started from it).</summary>
    public async Task<Started?> ForEscalationAsync(BotDbContext db, long escalationId, string startedBy, bool promptNow, DateTimeOffset now, CancellationToken ct)
    {
        if (await db.Reviews.FirstOrDefaultAsync(r => r.EscalationId == escalationId, ct) is { } existing) return new(existing, false);
        if (await EscalationReadModel.FindAsync(db, escalationId, ct) is not { } escalation) return null;
        if (escalation.IncidentId is { } incidentId) return await ForIncidentAsync(db, incidentId, startedBy, promptNow, now, ct);
        var team = await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Key == escalation.TeamKey, ct);
        if (team is null) return null;
        var resolvedAt = escalation.ResolvedAt ?? now;
        var owner = await OwnerAsync(db, team, null, escalation.AcknowledgedByKey, resolvedAt, ct);
        var review = New(team, owner, $"{EscalationReference.Of(escalation.Id)}: {escalation.Summary}", null, resolvedAt, startedBy, now);
        review.EscalationId = escalationId;
        return await SaveOrFindAsync(db, review, team, promptNow, now, r => r.EscalationId == escalationId, ct);
    }

    private Review New(Team team, Person? owner, string title, int? impact, DateTimeOffset resolvedAt, string startedBy, DateTimeOffset now)
    {
        var teamSettings = settings.For(team);
        var template = teamSettings.EffectiveTemplate;
        return new Review
        {
            TeamKey = team.Key,
            Title = Conversation.Plain.Cut(title.ReplaceLineEndings(" "), 300),
            Impact = impact,
            OwnerKey = owner?.Key ?? "",
            Status = ReviewStatus.Draft,
            TemplateName = template.Name,
            TemplateVersion = template.Version,
            Sections = [.. template.Sections],
            ResolvedAt = resolvedAt,
            CreatedAt = now,
            UpdatedAt = now,
            StartedBy = startedBy,
            DueAt = WorkingTime.AddWorkingDays(resolvedAt, teamSettings.DueWorkingDays, owner?.TimeZone ?? team.TimeZone),
        };
    }

    /// <summary>Stores the review, or finds the one a concurrent trigger stored first (this one then loses on the unique key).</summary>
    private async Task<Started> SaveOrFindAsync(BotDbContext db, Review review, Team team, bool promptNow, DateTimeOffset now,
        System.Linq.Expressions.Expression<Func<Review, bool>> same, CancellationToken ct)
    {
        // What the caller had added already (an event to publish, a reminder of its own) is theirs to save.
        var before = db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToHashSet(ReferenceEqualityComparer.Instance);
        try
        {
            return new(await SaveAsync(db, review, team, promptNow, now, ct), true);
        }
        catch (DbUpdateException)
        {
            // Only what this attempt added is dropped; the caller's own tracked state stays.
            foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added && !before.Contains(e.Entity)).ToList())
                entry.State = EntityState.Detached;
            db.Entry(review).State = EntityState.Detached;
            var first = await db.Reviews.FirstOrDefaultAsync(same, ct);
            return first is null ? throw new InvalidOperationException("The review could not be stored, and no other is there.") : new(first, false);
        }
    }

    /// <summary>Stores the review with its reminders in one transaction.</summary>
    private async Task<Review> SaveAsync(BotDbContext db, Review review, Team team, bool promptNow, DateTimeOffset now, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Reviews.Add(review);
        await db.SaveChangesAsync(ct);
        var owner = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Key == review.OwnerKey, ct);
        var zone = owner?.TimeZone ?? team.TimeZone;
        var draftAt = promptNow ? now : WorkingTime.NextMorning(review.ResolvedAt + settings.For(team).FirstPromptDelay, zone);
        var id = review.Id;
        db.Schedule(ReviewReminders.Prefill, id, now, now, dedupeKey: $"review:{id}:prefill");
        db.Schedule(ReviewReminders.Prompt, id, draftAt, now, new ReviewReminders.PromptArgs(ReviewReminders.PromptStage.Draft), $"review:{id}:prompt:draft");
        foreach (var days in new[] { 2, 5 })
        {
            db.Schedule(ReviewReminders.Prompt, id, WorkingTime.AddWorkingDays(draftAt, days, zone), now,
                new ReviewReminders.PromptArgs(ReviewReminders.PromptStage.Nudge, days), $"review:{id}:prompt:nudge:{days}");
        }
        db.Schedule(ReviewReminders.Overdue, id, review.DueAt, now, dedupeKey: $"review:{id}:overdue");
        if (review.IncidentId is { } incidentId) db.Publish(new ReviewRequested(incidentId, id, review.EscalationId), now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return review;
    }

    /// <summary>The incident's responder, else whoever acknowledged the escalation, else the team's primary on-call then, else a manager.</summary>
    private static async Task<Person?> OwnerAsync(BotDbContext db, Team team, string? responderName, string? acknowledgedByKey, DateTimeOffset at,
        CancellationToken ct)
    {
        var people = await db.People.AsNoTracking().ToListAsync(ct);
        var responder = responderName is null ? null : people.FirstOrDefault(p => string.Equals(p.Name, responderName, StringComparison.OrdinalIgnoreCase));
        return responder
            ?? people.FirstOrDefault(p => p.Key == acknowledgedByKey)
            ?? people.FirstOrDefault(p => p.Key == OnCallSchedule.At(team, at).Primary)
            ?? people.FirstOrDefault(p => team.Managers.Contains(p.Key))
            ?? people.FirstOrDefault(p => team.Members.Contains(p.Key));
    }
}

/// <summary>A resolved incident of the team's threshold impact or worse gets its review; a milder one gets a button on its card.</summary>
public sealed class StartReviewOnIncidentResolved(ReviewStarter starter, TeamSettings<ReviewTeamSettings> settings, TimeProvider clock)
    : IEventSubscriber<IncidentResolved>
{
    public const string SubscriberName = "reviews.ask-on-resolve";

    public string Name => SubscriberName;

    public async Task HandleAsync(IncidentResolved e, EventDelivery delivery, BotDbContext db, CancellationToken ct)
    {
        if (e.TeamKey is null) return;
        if (e.Impact > settings.For(e.TeamKey).AutomaticUpToImpact)
        {
            db.Publish(new ReviewOffered(e.IncidentId), clock.GetUtcNow());
            return;
        }
        await starter.ForIncidentAsync(db, e.IncidentId, "bot", promptNow: false, clock.GetUtcNow(), ct);
    }
}

/// <summary>The one-off "review asked for" reminder of earlier versions, still pending after an upgrade: it starts the review.</summary>
public sealed class LegacyAskHandler(ReviewStarter starter, TimeProvider clock) : IReminderHandler
{
    public string Kind => "incident.review";

    public Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct) =>
        starter.ForIncidentAsync(db, reminder.SubjectId, "bot", promptNow: false, clock.GetUtcNow(), ct);
}

/// <summary>An escalation resolved as "needs a review" gets one.</summary>
public sealed class StartReviewOnEscalationResolved(ReviewStarter starter, TimeProvider clock) : IEventSubscriber<EscalationResolved>
{
    public string Name => "reviews.start-on-escalation-resolved";

    public async Task HandleAsync(EscalationResolved e, EventDelivery delivery, BotDbContext db, CancellationToken ct)
    {
        if (e.Kind != EscalationOutcome.NeedsReview) return;
        await starter.ForEscalationAsync(db, e.EscalationId, e.ResolvedBy, promptNow: false, clock.GetUtcNow(), ct);
    }
}
