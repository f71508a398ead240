using Bot.Core.Cards;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Events;
using Bot.Core.Features.Escalation;
using Bot.Core.Features.Incidents;
using Bot.Core.Features.Reviews;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Features.Incidents;

/// <summary>Posting an incident to its team's channels, once per channel and purpose, whatever else retries.</summary>
public static class IncidentPosting
{
    public static async Task<(Team? Team, Service? Service, Deployment? Deployment)> ContextAsync(BotDbContext db, Incident i, CancellationToken ct)
    {
        var team = i.TeamKey is null ? null : await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Key == i.TeamKey, ct);
        var service = i.ServiceKey is null ? null : await db.Services.AsNoTracking().FirstOrDefaultAsync(s => s.Key == i.ServiceKey, ct);
        var deployment = i.DeploymentId is null ? null : await db.Deployments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == i.DeploymentId, ct);
        return (team, service, deployment);
    }

    public static async Task<Message> CardAsync(BotDbContext db, Incident i, DateTimeOffset now, CancellationToken ct) =>
        await CardAsync(db, i, await RelatedOfAsync(db, i, ct), now, ct);

    private static async Task<Message> CardAsync(BotDbContext db, Incident i, RelatedAlerts? related, DateTimeOffset now, CancellationToken ct)
    {
        var (team, service, deployment) = await ContextAsync(db, i, ct);
        return IncidentMessages.Card(i, team, service, deployment, now, related);
    }

    private static async Task<RelatedAlerts?> RelatedOfAsync(BotDbContext db, Incident i, CancellationToken ct) =>
        i.GroupedIntoId is null ? await IncidentGrouping.RelatedAsync(db, i.Id, ct) : null;

    /// <summary>Renders the incident's card from the state stored now (see <see cref="CardRenderer"/>), its related alerts included.</summary>
    public static CardRenderer Renderer(BotDbContext db, long id, TimeProvider clock) => async (unlessVersion, ct) =>
    {
        var incident = await db.Incidents.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (incident is null) return null;
        var related = await RelatedOfAsync(db, incident, ct);
        var version = RelatedAlerts.CardVersion(incident.Version, related);
        return version == unlessVersion ? null : new RenderedCard(await CardAsync(db, incident, related, clock.GetUtcNow(), ct), version);
    };
}

public sealed class PostIncidentHandler(LivingCards cards, TimeProvider clock) : IReminderHandler
{
    public string Kind => IncidentReminders.Post;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        if (await db.SubjectOfAsync<Incident>(reminder, ct) is not { } incident) return;
        await cards.PostOnceAsync(db, IncidentCards.Of(incident.Id), LivingCards.Card, await cards.TeamTargetsAsync(db, incident.TeamKey, ct),
            IncidentPosting.Renderer(db, incident.Id, clock), ct);
    }
}

public sealed class RefreshIncidentHandler(LivingCards cards, TimeProvider clock) : IReminderHandler
{
    public string Kind => IncidentReminders.Refresh;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        // A newer refresh is waiting: it renders the state as it will be then, so this one has nothing to add.
        var now = clock.GetUtcNow();
        if (await db.NewerWaitingAsync(reminder, now, ct)) return;
        await cards.RefreshAsync(db, IncidentCards.Of(reminder.SubjectId), LivingCards.Card,
            IncidentPosting.Renderer(db, reminder.SubjectId, clock), ct);
    }
}

/// <summary>The review was asked for: the incident records it once (timeline and card), whatever else changed meanwhile.</summary>
public sealed class RecordReviewRequested(TimeProvider clock) : IEventSubscriber<ReviewRequested>
{
    public string Name => "incidents.record-review-requested";

    public async Task HandleAsync(ReviewRequested e, EventDelivery delivery, BotDbContext db, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // Set once, without the incident's version check: the incident may change meanwhile (a reopening, a title),
        // which must neither fail this nor be overwritten by it. The version moves on, so other writers re-read.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var review = e.ReviewId;
        var first = await db.Incidents.Where(x => x.Id == e.IncidentId && x.ReviewRequestedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ReviewRequestedAt, now).SetProperty(x => x.ReviewId, review)
                .SetProperty(x => x.Version, x => x.Version + 1), ct);
        if (first > 0)
        {
            db.IncidentEvents.Add(new IncidentEvent
            {
                IncidentId = e.IncidentId, At = now, Kind = IncidentEventKind.ReviewRequested, Actor = "bot",
                Text = review is { } id ? $"Started blameless post-incident review {ReviewReference.Of(id)}" : "Asked the team for a blameless post-incident review",
            });
            IncidentReminders.ScheduleRefresh(db, e.IncidentId, now);
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
    }
}

/// <summary>A review was offered for a mild incident: its card gets "Start a review" (once; a review started meanwhile wins).</summary>
public sealed class RecordReviewOffered(TimeProvider clock) : IEventSubscriber<ReviewOffered>
{
    public string Name => "incidents.record-review-offered";

    public async Task HandleAsync(ReviewOffered e, EventDelivery delivery, BotDbContext db, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await db.Incidents.Where(x => x.Id == e.IncidentId && x.ReviewOfferedAt == null && x.ReviewId == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ReviewOfferedAt, now).SetProperty(x => x.Version, x => x.Version + 1), ct) > 0)
        {
            IncidentReminders.ScheduleRefresh(db, e.IncidentId, now);
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
    }
}

/// <summary>A completed review is linked from its incident: on the card, in the timeline, and in the incident tool.</summary>
public sealed class RecordReviewCompleted(TimeProvider clock) : IEventSubscriber<ReviewCompleted>
{
    public string Name => "incidents.record-review-completed";

    public async Task HandleAsync(ReviewCompleted e, EventDelivery delivery, BotDbContext db, CancellationToken ct)
    {
        if (e.IncidentId is not { } incidentId) return;
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var review = e.ReviewId;
        if (await db.Incidents.Where(x => x.Id == incidentId && x.ReviewCompletedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ReviewCompletedAt, now).SetProperty(x => x.ReviewId, review)
                    .SetProperty(x => x.Version, x => x.Version + 1), ct) > 0)
        {
            var title = $"Post-incident review {ReviewReference.Of(e.ReviewId)}";
            db.IncidentEvents.Add(new IncidentEvent
            {
                IncidentId = incidentId, At = now, Kind = IncidentEventKind.ReviewCompleted, Actor = "bot", Text = $"{title} completed: {e.Title}",
            });
            IncidentReminders.ScheduleRefresh(db, incidentId, now);
            if (e.ExportUrl is { } url)
                db.Schedule(IncidentReminders.LinkInTool, incidentId, now, now, new IncidentReminders.LinkArgs(title, url), $"incident:{incidentId}:review-link");
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
    }
}

/// <summary>Links a page from the incident in its tool (a related item), once, by the reminder's own token.</summary>
public sealed class LinkInToolHandler(IEnumerable<IExternalIncidents> tools, InstallationIdentity installation, TimeProvider clock)
    : ReminderHandler<IncidentReminders.LinkArgs>(IncidentReminders.LinkInTool)
{
    protected override async Task HandleAsync(Reminder reminder, IncidentReminders.LinkArgs args, BotDbContext db, CancellationToken ct)
    {
        var incident = await db.SubjectOfAsync<Incident>(reminder, ct);
        if (incident is null || tools.FirstOrDefault(t => t.Source == incident.Source && t.Enabled) is not { } tool) return;
        try
        {
            await tool.AddRelatedLinkAsync(incident.ExternalId, args.Title, args.Url, await installation.TokenAsync("reminder", reminder.Id, "link", ct), ct);
        }
        catch (IncidentToolRefusedException ex)
        {
            incident.Record(clock.GetUtcNow(), IncidentEventKind.Note, "bot", "Could not link the review in the incident tool: " + ex.Message);
        }
    }
}

/// <summary>An escalation resolved in chat: its incident's tool hears the outcome and is asked to resolve too.</summary>
public sealed class FollowEscalationResolved(TimeProvider clock) : IEventSubscriber<EscalationResolved>
{
    public string Name => "incidents.follow-escalation-resolved";

    public async Task HandleAsync(EscalationResolved e, EventDelivery delivery, BotDbContext db, CancellationToken ct)
    {
        if (e.IncidentId is not { } incidentId) return;
        var now = clock.GetUtcNow();
        var once = $"incident:{incidentId}:escalation:{e.EscalationId}:resolved";
        if (!await db.ScheduleOnceAsync(IncidentReminders.ResolveInTool, incidentId, now, once, ct)) return;
        IncidentReminders.WriteBack(db, incidentId, now, $"Escalation {EscalationReference.Of(e.EscalationId)} resolved in chat by {e.ResolvedBy}: {e.Outcome}");
    }
}

/// <summary>
/// Whoever takes an escalation is on its incident too, unless someone already is; the tool's timeline hears it.
/// The incident's change, its timeline entry and the write-back commit together, so a redelivery adds nothing.
/// </summary>
public sealed class FollowEscalationAcknowledged(TimeProvider clock) : IEventSubscriber<EscalationAcknowledged>
{
    public string Name => "incidents.follow-escalation-acknowledged";

    public async Task HandleAsync(EscalationAcknowledged e, EventDelivery delivery, BotDbContext db, CancellationToken ct)
    {
        if (e.IncidentId is not { } incidentId) return;
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await IncidentReminders.WriteBackOnceAsync(db, incidentId, now, $"Escalation {EscalationReference.Of(e.EscalationId)} acknowledged in chat by {e.By}",
            $"incident:{incidentId}:event:{delivery.EventId}:note", ct);
        var by = e.By;
        var at = e.At;
        if (await db.Incidents.Where(i => i.Id == incidentId && i.AcknowledgedBy == null)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcknowledgedBy, by).SetProperty(i => i.AcknowledgedAt, at)
                    .SetProperty(i => i.UpdatedAt, now).SetProperty(i => i.Version, i => i.Version + 1), ct) > 0)
        {
            db.IncidentEvents.Add(new IncidentEvent
            {
                IncidentId = incidentId, At = at, Kind = IncidentEventKind.Acknowledged, Actor = by, Text = $"On it, through escalation {EscalationReference.Of(e.EscalationId)}",
            });
            IncidentReminders.ScheduleRefresh(db, incidentId, now);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}

/// <summary>A re-escalation of an escalation with an incident goes on the tool's timeline.</summary>
public sealed class FollowEscalationReescalated(TimeProvider clock) : IEventSubscriber<EscalationReescalated>
{
    public string Name => "incidents.follow-escalation-reescalated";

    public async Task HandleAsync(EscalationReescalated e, EventDelivery delivery, BotDbContext db, CancellationToken ct)
    {
        if (e.IncidentId is not { } incidentId) return;
        await IncidentReminders.WriteBackOnceAsync(db, incidentId, clock.GetUtcNow(),
            $"Escalation {EscalationReference.Of(e.EscalationId)} not acknowledged within {e.Waited}; re-escalated to {e.LevelName}",
            $"incident:{incidentId}:event:{delivery.EventId}:note", ct);
    }
}

/// <summary>Writes a chat decision to the incident tool's timeline as a custom event; exactly once, by the reminder's own token.</summary>
public sealed partial class WriteBackHandler(IEnumerable<IExternalIncidents> tools, InstallationIdentity installation, TimeProvider clock, ILogger<WriteBackHandler> logger)
    : ReminderHandler<IncidentReminders.NoteArgs>(IncidentReminders.Note)
{
    protected override async Task HandleAsync(Reminder reminder, IncidentReminders.NoteArgs args, BotDbContext db, CancellationToken ct)
    {
        var incident = await db.SubjectOfAsync<Incident>(reminder, ct);
        if (incident is null || tools.FirstOrDefault(t => t.Source == incident.Source && t.Enabled) is not { } tool) return;
        try
        {
            await tool.AddTimelineEventAsync(incident.ExternalId, reminder.CreatedAt, args.Text,
                await installation.TokenAsync("reminder", reminder.Id, "note", ct), ct);
        }
        catch (IncidentToolRefusedException ex)
        {
            LogRefused(logger, incident.Id, ex.Message);
            incident.Record(clock.GetUtcNow(), IncidentEventKind.Note, "bot", "Could not write to the incident's timeline: " + ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The incident tool refused a timeline event for incident {IncidentId}: {Reason}")]
    private static partial void LogRefused(ILogger logger, long incidentId, string reason);
}

/// <summary>Resolving from chat: the tool is told, then the incident is read back through the intake like any report.</summary>
public sealed class ResolveInToolHandler(IEnumerable<IExternalIncidents> tools, InstallationIdentity installation, IServiceScopeFactory scopes, TimeProvider clock) : IReminderHandler
{
    public string Kind => IncidentReminders.ResolveInTool;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        var incident = await db.SubjectOfAsync<Incident>(reminder, ct);
        if (incident is null || incident.Status == IncidentStatus.Resolved || tools.FirstOrDefault(t => t.Source == incident.Source && t.Enabled) is not { } tool) return;
        try
        {
            await tool.ResolveAsync(incident.ExternalId, await installation.TokenAsync("reminder", reminder.Id, "resolve", ct), ct);
            var report = await tool.ReadAsync(incident.ExternalId, ct);
            await using var scope = scopes.CreateAsyncScope();
            await IncidentIntake.ApplyAsync(scope.ServiceProvider.GetRequiredService<BotDbContext>(), report, clock.GetUtcNow(), ct);
        }
        catch (IncidentToolRefusedException ex)
        {
            incident.Record(clock.GetUtcNow(), IncidentEventKind.Note, "bot", "Could not resolve it in the incident tool: " + ex.Message);
        }
    }
}
