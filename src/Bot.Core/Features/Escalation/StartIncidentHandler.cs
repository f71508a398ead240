using Bot.Core.Cards;
using Bot.Core.Conversation;
using Bot.Core.Features.Incidents;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Features.Escalation;

/// <summary>
/// "Start incident" on an escalation: the incident tool is asked with the escalation's own client token, so a retried
/// or re-run start cannot open two; the incident is stored through the intake like any report, and the escalation
/// and incident point at each other. Only a refused start (no permission, invalid) counts as not started: the person
/// is told why and may click again.
/// </summary>
public sealed class StartIncidentHandler(
    IEnumerable<IExternalIncidents> tools, ChannelRegistry channels, LivingCards cards, InstallationIdentity installation, EscalationLinks links,
    IServiceScopeFactory scopes, TimeProvider clock) : ReminderHandler<EscalationReminders.StartIncidentArgs>(EscalationReminders.StartIncident)
{
    protected override async Task HandleAsync(Reminder reminder, EscalationReminders.StartIncidentArgs args, BotDbContext db, CancellationToken ct)
    {
        if (await EscalationReminders.LoadAsync(db, reminder.SubjectId, ct) is not var (e, team, service)) return;
        if (e.IncidentId is not null) return;
        var channel = channels.Get(e.Channel);
        var card = (await cards.FindAsync(db, EscalationReminders.CardOf(e.Id), LivingCards.Card, ct)).FirstOrDefault();
        var where = new ConversationAddress(e.Channel, card?.ConversationId ?? e.RaisedInConversation);
        var who = args.RequestedBy;
        var reference = EscalationText.Reference(e.Id);
        if (tools.FirstOrDefault(t => t.CanStartFor(team)) is not { } tool)
        {
            reminder.DedupeKey = null;
            await channel.ReplyPrivatelyAsync(where, who, Message.Text($"{team.Name} has no incident response plan configured any more, so no incident was started."), ct);
            return;
        }

        var start = new IncidentStart(
            Title: Plain.Cut(e.Summary.ReplaceLineEndings(" "), 200),
            Impact: e.Impact switch { CustomerImpact.AffectedNow => 1, CustomerImpact.Degraded => 2, CustomerImpact.AtRisk => 3, _ => 4 },
            Summary: $"Escalation {reference} raised in chat by {e.RaisedByName} for {team.Name}" + (service is null ? "" : $" ({service.Name})") +
                     $": {e.Summary}" + (string.IsNullOrWhiteSpace(e.Tried) ? "" : $"\nTried: {e.Tried}"),
            LinkTitle: $"Chat escalation {reference} ({team.Name})",
            LinkUrl: await links.LinkAsync(e.Id, ct) ?? (card is null ? null : channel.LinkTo(card)),
            At: e.RaisedAt);
        string externalId;
        try
        {
            externalId = await tool.StartAsync(team, start, await installation.TokenAsync("escalation", e.Id, "start", ct), ct);
        }
        catch (IncidentToolRefusedException ex)
        {
            // Not started: free the dedupe key so the button works again once the cause is fixed.
            reminder.DedupeKey = null;
            e.Record(clock.GetUtcNow(), EscalationEventKind.IncidentStarted, "bot", "Could not start an incident: " + ex.Message);
            await db.SaveChangesAsync(ct);
            await channel.ReplyPrivatelyAsync(where, who, Message.Text($"I could not start an incident for {reference}. {ex.Message}"), ct);
            return;
        }

        // Started: from here on every failure is retried (the same token gives back the same incident), never "not started".
        IncidentReport report;
        try
        {
            report = await tool.ReadAsync(externalId, ct);
        }
        catch (IncidentToolRefusedException ex)
        {
            throw new InvalidOperationException($"Incident {externalId} was started but could not be read back: {ex.Message}", ex);
        }

        var now = clock.GetUtcNow();
        long incidentId;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var own = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            var (_, incident) = await IncidentIntake.ApplyAsync(own, report with { Service = report.Service ?? e.ServiceKey, Team = report.Team ?? team.Key }, now, ct);
            incidentId = incident.Id;
            var linked = await own.Incidents.Where(i => i.Id == incidentId && i.EscalationId == null)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.EscalationId, e.Id).SetProperty(i => i.Version, i => i.Version + 1), ct);
            if (linked > 0) IncidentReminders.ScheduleRefresh(own, incidentId, now);
            await own.SaveChangesAsync(ct);
        }
        e.IncidentId = incidentId;
        e.Record(now, EscalationEventKind.IncidentStarted, "bot", $"Incident {IncidentReference.Of(incidentId)} started in {Features.Incidents.IncidentMessages.SourceName(tool.Source)}");
        db.Schedule(EscalationReminders.Refresh, e.Id, now, now);
        // Resolved while the incident was being started: the incident follows, as it would had it existed already.
        if (e.Status == EscalationStatus.Resolved) db.Schedule(IncidentReminders.ResolveInTool, incidentId, now, now);
        // Committed before anyone is told, so a failed save (the escalation changed meanwhile) retries silently.
        await db.SaveChangesAsync(ct);
        await channel.ReplyPrivatelyAsync(where, who, Message.Text($"Incident {IncidentReference.Of(incidentId)} is open in {Features.Incidents.IncidentMessages.SourceName(tool.Source)} for {reference}." +
            (report.Url is null ? "" : $" Open it: {report.Url}")), ct);
    }
}
