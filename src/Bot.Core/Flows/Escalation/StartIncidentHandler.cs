using System.Globalization;
using Bot.Core.Conversation;
using Bot.Core.Incidents;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Flows.Escalation;

/// <summary>
/// "Start incident" on an escalation: the incident tool is asked once (the client token is the escalation's, so a
/// retried or re-run start cannot open two), the incident is stored through the intake like any report, and the
/// escalation and incident point at each other.
/// </summary>
public sealed class StartIncidentHandler(
    IEnumerable<IExternalIncidents> tools, ChannelRegistry channels, IServiceScopeFactory scopes, TimeProvider clock) : IReminderHandler
{
    public string Kind => EscalationReminders.StartIncident;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        if (await EscalationReminders.LoadAsync(db, reminder.SubjectId, ct) is not var (e, team, service)) return;
        if (e.IncidentId is not null) return;
        var channel = channels.Get(e.Channel);
        var where = new ConversationAddress(e.Channel, e.AnnouncementConversation ?? e.RaisedInConversation);
        var who = reminder.Argument ?? e.RaisedByUserId;
        if (tools.FirstOrDefault(t => t.CanStartFor(team)) is not { } tool)
        {
            await channel.ReplyPrivatelyAsync(where, who, Message.Text($"{team.Name} has no incident response plan configured any more, so no incident was started."), ct);
            return;
        }

        var now = clock.GetUtcNow();
        var reference = EscalationText.Reference(e.Id);
        var start = new IncidentStart(
            Title: Plain.Cut(e.Summary.ReplaceLineEndings(" "), 200),
            Impact: e.Impact switch { CustomerImpact.AffectedNow => 1, CustomerImpact.Degraded => 2, CustomerImpact.AtRisk => 3, _ => 4 },
            Summary: $"Escalation {reference} raised in chat by {e.RaisedByName} for {team.Name}" + (service is null ? "" : $" ({service.Name})") +
                     $": {e.Summary}" + (string.IsNullOrWhiteSpace(e.Tried) ? "" : $"\nTried: {e.Tried}"),
            LinkTitle: $"Chat escalation {reference} ({team.Name})",
            LinkUrl: e.Announcement is { } posted ? channel.LinkTo(posted) : null,
            At: e.RaisedAt);
        string externalId;
        IncidentReport report;
        try
        {
            externalId = await tool.StartAsync(team, start, $"bot-escalation-{e.Id.ToString(CultureInfo.InvariantCulture)}-start", ct);
            report = await tool.ReadAsync(externalId, ct);
        }
        catch (IncidentToolRefusedException ex)
        {
            e.Record(now, EscalationEventKind.IncidentStarted, "bot", "Could not start an incident: " + ex.Message);
            await channel.ReplyPrivatelyAsync(where, who, Message.Text($"I could not start an incident for {reference}. {ex.Message}"), ct);
            return;
        }

        long incidentId;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var own = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            var (_, incident) = await IncidentIntake.ApplyAsync(own, report with { Service = report.Service ?? e.ServiceKey, Team = report.Team ?? team.Key }, now, ct);
            incidentId = incident.Id;
            await own.Incidents.Where(i => i.Id == incidentId && i.EscalationId == null).ExecuteUpdateAsync(s => s.SetProperty(i => i.EscalationId, e.Id), ct);
        }
        e.IncidentId = incidentId;
        e.Record(now, EscalationEventKind.IncidentStarted, "bot", $"Incident INC-{incidentId} started in {Flows.Incidents.IncidentMessages.SourceName(tool.Source)}");
        db.Schedule(EscalationReminders.Refresh, e.Id, now, now);
        await channel.ReplyPrivatelyAsync(where, who, Message.Text($"Incident INC-{incidentId} is open in {Flows.Incidents.IncidentMessages.SourceName(tool.Source)} for {reference}." +
            (report.Url is null ? "" : $" Open it: {report.Url}")), ct);
    }

}
