using Bot.Core.Directory;
using Bot.Core.Events;
using Bot.Core.Features.Escalation;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Features.Incidents;

/// <summary>
/// Starts the incident an escalation asked for. The tool is asked with the escalation's own client token, so a
/// redelivered or repeated request cannot open two; the incident is stored through the intake like any report and
/// linked to the escalation. Only a refusal the person can act on (no permission, no response plan) counts as not
/// started: then <see cref="IncidentStartRefused"/> says why, and the button works again.
/// </summary>
public sealed class StartRequestedIncident(IEnumerable<IExternalIncidents> tools, InstallationIdentity installation, IServiceScopeFactory scopes,
    TimeProvider clock) : IEventSubscriber<IncidentRequested>
{
    public string Name => "incidents.start-requested";

    public async Task HandleAsync(IncidentRequested e, EventDelivery delivery, BotDbContext db, CancellationToken ct)
    {
        var team = await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Key == e.TeamKey, ct);
        if (team is null || tools.FirstOrDefault(t => t.CanStartFor(team)) is not { } tool)
        {
            db.Publish(new IncidentStartRefused(e.EscalationId, $"{team?.Name ?? e.TeamKey} has no incident response plan configured any more, so no incident was started.",
                e.Channel, e.RequestedBy), clock.GetUtcNow());
            return;
        }

        string externalId;
        try
        {
            externalId = await tool.StartAsync(team, new IncidentStart(e.Title, e.Impact, e.Summary, e.LinkTitle, e.LinkUrl, e.RaisedAt),
                await installation.TokenAsync("escalation", e.EscalationId, "start", ct), ct);
        }
        catch (IncidentToolRefusedException ex)
        {
            db.Publish(new IncidentStartRefused(e.EscalationId, ex.Message, e.Channel, e.RequestedBy), clock.GetUtcNow());
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
            var escalationId = e.EscalationId;
            var linked = await own.Incidents.Where(i => i.Id == incidentId && i.EscalationId == null)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.EscalationId, escalationId).SetProperty(i => i.Version, i => i.Version + 1), ct);
            if (linked > 0) IncidentReminders.ScheduleRefresh(own, incidentId, now);
            await own.SaveChangesAsync(ct);
        }
        db.Publish(new IncidentStarted(incidentId, e.EscalationId, IncidentMessages.SourceName(tool.Source), report.Url, e.Channel, e.RequestedBy), now);
    }
}
