using Bot.Core.Cards;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Events;
using Bot.Core.Features.Incidents;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Features.Escalation;

/// <summary>
/// "Start incident" on an escalation: the escalation asks (<see cref="IncidentRequested"/>), the incidents feature
/// starts it in the tool and answers with <see cref="IncidentStarted"/> or <see cref="IncidentStartRefused"/>, and
/// the escalation links it, or frees the button, and tells the person who asked.
/// </summary>
public sealed class IncidentRequests(EscalationLinks links, LivingCards cards, ChannelRegistry channels)
{
    /// <summary>Announces the request in <paramref name="db"/>'s next save, with what the tool needs from the escalation.</summary>
    public async Task RequestAsync(BotDbContext db, Escalation e, Team team, string requestedBy, DateTimeOffset now, CancellationToken ct)
    {
        var reference = EscalationReference.Of(e.Id);
        var service = e.ServiceKey is null ? null : await db.Services.AsNoTracking().FirstOrDefaultAsync(s => s.Key == e.ServiceKey, ct);
        var card = (await cards.FindAsync(db, EscalationReminders.CardOf(e.Id), LivingCards.Card, ct)).FirstOrDefault();
        e.IncidentRequestedAt = now;
        db.Publish(new IncidentRequested(
            e.Id, e.TeamKey, e.ServiceKey,
            Title: Plain.Cut(e.Summary.ReplaceLineEndings(" "), 200),
            Impact: e.Impact switch { CustomerImpact.AffectedNow => 1, CustomerImpact.Degraded => 2, CustomerImpact.AtRisk => 3, _ => 4 },
            Summary: $"Escalation {reference} raised in chat by {e.RaisedByName} for {team.Name}" + (service is null ? "" : $" ({service.Name})") +
                     $": {e.Summary}" + (string.IsNullOrWhiteSpace(e.Tried) ? "" : $"\nTried: {e.Tried}"),
            LinkTitle: $"Chat escalation {reference} ({team.Name})",
            LinkUrl: await links.LinkAsync(e.Id, ct) ?? (card is null ? null : channels.Find(card.Channel)?.LinkTo(card)),
            RaisedAt: e.RaisedAt, Channel: e.Channel, RequestedBy: requestedBy), now);
    }

    /// <summary>Where to answer the person who asked: the escalation's card, else where it was raised.</summary>
    public async Task TellAsync(BotDbContext db, Escalation e, string channel, string userId, string text, CancellationToken ct)
    {
        var card = (await cards.FindAsync(db, EscalationReminders.CardOf(e.Id), LivingCards.Card, ct)).FirstOrDefault(c => c.Channel == channel);
        await channels.Get(channel).ReplyPrivatelyAsync(new ConversationAddress(channel, card?.ConversationId ?? e.RaisedInConversation), userId,
            Message.Text(text), ct);
    }
}

/// <summary>The incident is open: linked to the escalation (once), shown on its card, and the person who asked is told.</summary>
public sealed class LinkStartedIncident(IncidentRequests requests, TimeProvider clock) : IEventSubscriber<IncidentStarted>
{
    public string Name => "escalation.link-started-incident";

    public async Task HandleAsync(IncidentStarted e, EventDelivery delivery, BotDbContext db, CancellationToken ct)
    {
        var escalation = await db.Escalations.FirstOrDefaultAsync(x => x.Id == e.EscalationId, ct);
        if (escalation is null || escalation.IncidentId == e.IncidentId) return;
        var now = clock.GetUtcNow();
        escalation.IncidentId = e.IncidentId;
        escalation.Record(now, EscalationEventKind.IncidentStarted, "bot", $"Incident {IncidentReference.Of(e.IncidentId)} started in {e.SourceName}");
        db.Schedule(EscalationReminders.Refresh, escalation.Id, now, now);
        // Resolved while the incident was being started: the incident follows, as it would had it existed already.
        if (escalation.Status == EscalationStatus.Resolved)
            db.Publish(new EscalationResolved(escalation.Id, escalation.TeamKey, e.IncidentId, escalation.ResolvedByName ?? "", escalation.Outcome ?? ""), now);
        // Committed before anyone is told, so a failed save (the escalation changed meanwhile) retries silently.
        await db.SaveChangesAsync(ct);
        await requests.TellAsync(db, escalation, e.Channel, e.RequestedBy,
            $"Incident {IncidentReference.Of(e.IncidentId)} is open in {e.SourceName} for {EscalationReference.Of(escalation.Id)}." +
            (e.Url is null ? "" : $" Open it: {e.Url}"), ct);
    }
}

/// <summary>The tool refused: the button works again, the timeline says why, and so does the reply to the person who asked.</summary>
public sealed class ExplainRefusedIncident(IncidentRequests requests, TimeProvider clock) : IEventSubscriber<IncidentStartRefused>
{
    public string Name => "escalation.explain-refused-incident";

    public async Task HandleAsync(IncidentStartRefused e, EventDelivery delivery, BotDbContext db, CancellationToken ct)
    {
        var escalation = await db.Escalations.FirstOrDefaultAsync(x => x.Id == e.EscalationId, ct);
        if (escalation is null || escalation.IncidentRequestedAt is null) return;
        escalation.IncidentRequestedAt = null;
        escalation.Record(clock.GetUtcNow(), EscalationEventKind.IncidentStarted, "bot", "Could not start an incident: " + e.Reason);
        await db.SaveChangesAsync(ct);
        await requests.TellAsync(db, escalation, e.Channel, e.RequestedBy,
            $"I could not start an incident for {EscalationReference.Of(escalation.Id)}. {e.Reason}", ct);
    }
}

/// <summary>A start asked for before requests were events, still pending after an upgrade: asked again the new way.</summary>
public sealed class LegacyStartIncidentHandler(IncidentRequests requests, TimeProvider clock)
    : ReminderHandler<EscalationReminders.StartIncidentArgs>(EscalationReminders.StartIncident)
{
    protected override async Task HandleAsync(Reminder reminder, EscalationReminders.StartIncidentArgs args, BotDbContext db, CancellationToken ct)
    {
        if (await EscalationReminders.LoadAsync(db, reminder.SubjectId, ct) is not var (e, team, _)) return;
        if (e.IncidentId is not null || e.IncidentRequestedAt is not null) return;
        await requests.RequestAsync(db, e, team, args.RequestedBy, clock.GetUtcNow(), ct);
    }
}
