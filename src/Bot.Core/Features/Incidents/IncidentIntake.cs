using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Features.Incidents;

public enum IntakeOutcome { Created, Resolved, Reopened, Updated, Unchanged }

/// <summary>
/// Turns reports from any source into stored incidents, so retried webhooks, duplicate notifications and the
/// reconciliation job meet in one stream of incident events:
/// <list type="bullet">
/// <item>a report that repeats what is stored changes nothing (idempotent on source, id and status);</item>
/// <item>a report older than the newest one applied is stale and ignored, so an "open" that arrives late cannot
/// reopen a resolved incident; reopening takes a report that says when it held (<see cref="IncidentReport.AsOf"/>);</item>
/// <item>the service is matched to the directory, which gives the owning team.</item>
/// </list>
/// Call it on a context with no transaction of its own: a lost race is settled by clearing and reading again.
/// </summary>
public static class IncidentIntake
{
    /// <param name="options">
    /// The feature's settings; reports from monitoring tools pass the configured ones, so alert storms are grouped
    /// (<see cref="IncidentGrouping"/>). Without them nothing is grouped.
    /// </param>
    public static async Task<(IntakeOutcome Outcome, Incident Incident)> ApplyAsync(BotDbContext db, IncidentReport report, DateTimeOffset now, CancellationToken ct,
        IncidentOptions? options = null)
    {
        var window = (options ?? IncidentOptions.NoGrouping).GroupWindow;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ApplyOnceAsync(db, report, now.ToUniversalTime(), window, ct);
            }
            catch (DbUpdateException) when (attempt < 5)
            {
                // The same incident arrived twice at once (a push and the reconciliation), or changed meanwhile: read it again.
                db.ChangeTracker.Clear();
            }
        }
    }

    private static async Task<(IntakeOutcome, Incident)> ApplyOnceAsync(BotDbContext db, IncidentReport report, DateTimeOffset now, TimeSpan groupWindow,
        CancellationToken ct)
    {
        var incident = await db.Incidents.Include(i => i.Timeline)
            .FirstOrDefaultAsync(i => i.Source == report.Source && i.ExternalId == report.ExternalId, ct);
        var resolved = report.Status == ReportedStatus.Resolved;
        var stateTime = report.TimeOfState(now);
        IntakeOutcome outcome;
        if (incident is null)
        {
            var service = await FindServiceAsync(db, report.Service, ct);
            var team = service?.TeamKey
                ?? (report.Team is { } t && await db.Teams.AnyAsync(x => x.Key == t, ct) ? t : null);
            incident = new Incident
            {
                Source = report.Source, ExternalId = report.ExternalId, Title = report.Title, Impact = report.Impact, Url = report.Url,
                ServiceKey = service?.Key, TeamKey = team, DeploymentId = report.DeploymentId,
                OpenedAt = (report.OpenedAt ?? now).ToUniversalTime(), Status = IncidentStatus.Open,
            };
            if (report.Url is not null) incident.Links.Add(new IncidentLink("Open in " + report.Source, report.Url));
            incident.Record(now, IncidentEventKind.Opened, report.Source, $"Opened (impact {report.Impact}){(service is null ? "" : $" on {service.Name}")}");
            db.Incidents.Add(incident);
            outcome = IntakeOutcome.Created;
            if (resolved) Resolve(incident, report, now);
        }
        else if (stateTime < incident.LastReportedAt)
        {
            return (IntakeOutcome.Unchanged, incident);
        }
        else if (resolved && incident.Status == IncidentStatus.Open)
        {
            Resolve(incident, report, now);
            outcome = IntakeOutcome.Resolved;
        }
        else if (!resolved && incident.Status == IncidentStatus.Resolved && report.AsOf is not null && stateTime > incident.LastReportedAt)
        {
            incident.Status = IncidentStatus.Open;
            incident.ResolvedAt = null;
            incident.Record(now, IncidentEventKind.Reopened, report.Source, "Reopened");
            outcome = IntakeOutcome.Reopened;
        }
        else if (!resolved && incident.Status == IncidentStatus.Resolved)
        {
            // As old as the resolution that is stored (the same moment seen from another path), or a report that says
            // nothing about when it held (a retried delivery of the first "open"): not a reopening.
            return (IntakeOutcome.Unchanged, incident);
        }
        else
        {
            outcome = IntakeOutcome.Unchanged;
        }

        var changed = new List<string>();
        if (incident.Title != report.Title && outcome != IntakeOutcome.Created)
        {
            incident.Title = report.Title;
            changed.Add("title");
        }
        if (incident.Impact != report.Impact && outcome != IntakeOutcome.Created)
        {
            changed.Add($"impact {incident.Impact} → {report.Impact}");
            incident.Impact = report.Impact;
        }
        if (changed.Count > 0)
        {
            incident.Record(now, IncidentEventKind.Updated, report.Source, "Updated: " + string.Join(", ", changed));
            if (outcome == IntakeOutcome.Unchanged) outcome = IntakeOutcome.Updated;
        }
        if (report.DeploymentId is { } deployment && incident.DeploymentId != deployment && outcome != IntakeOutcome.Created)
        {
            incident.DeploymentId = deployment;
            incident.Record(now, IncidentEventKind.LinkedDeployment, report.Source, $"Linked to deployment {deployment}");
            if (outcome == IntakeOutcome.Unchanged) outcome = IntakeOutcome.Updated;
        }
        if (outcome == IntakeOutcome.Unchanged) return (outcome, incident);

        incident.LastReportedAt = stateTime > incident.LastReportedAt ? stateTime : incident.LastReportedAt;
        incident.UpdatedAt = now;
        // An alert storm: most alerts find their service's group open and join it side by side, without a lock.
        if (outcome == IntakeOutcome.Created && await IncidentGrouping.OpenGroupAsync(db, incident.TeamKey, incident.ServiceKey, groupWindow, now, ct) is { } primary)
            IncidentGrouping.Join(incident, primary, now);
        // The change and the effects it sets off (card, refresh, review) commit together or not at all.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        if (outcome == IntakeOutcome.Created && incident.GroupedIntoId is null) await IncidentGrouping.JoinOrStartAsync(db, incident, groupWindow, now, ct);
        IncidentReminders.ScheduleAfter(db, incident, outcome, now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (outcome, incident);
    }

    private static void Resolve(Incident incident, IncidentReport report, DateTimeOffset now)
    {
        incident.Status = IncidentStatus.Resolved;
        incident.ResolvedAt = (report.ResolvedAt ?? now).ToUniversalTime();
        incident.Record(now, IncidentEventKind.Resolved, report.Source, $"Resolved after {Durations.Format(incident.ResolvedAt.Value - incident.OpenedAt)}");
    }

    /// <summary>Stores a reported deployment once (by its id); true when it was new.</summary>
    public static async Task<bool> RecordDeploymentAsync(BotDbContext db, DeploymentReport report, DateTimeOffset now, CancellationToken ct)
    {
        if (await db.Deployments.AnyAsync(d => d.Id == report.Id, ct)) return false;
        var service = await FindServiceAsync(db, report.Service, ct);
        db.Deployments.Add(new Deployment
        {
            Id = report.Id, Service = report.Service, ServiceKey = service?.Key, Version = report.Version, DeployedAt = report.DeployedAt.ToUniversalTime(),
            Outcome = report.Outcome, ReceivedAt = now.ToUniversalTime(),
        });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            // Only a twin delivery that won the race counts as "already stored"; any other failure is a failure.
            db.ChangeTracker.Clear();
            if (await db.Deployments.AnyAsync(d => d.Id == report.Id, ct)) return false;
            throw;
        }
    }

    /// <summary>A service by its key, else by its name, ignoring case; tools name services their own way.</summary>
    private static async Task<Service?> FindServiceAsync(BotDbContext db, string? name, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var wanted = name.Trim().ToLowerInvariant();
        return await db.Services.AsNoTracking().FirstOrDefaultAsync(s => s.Key.ToLower() == wanted || s.Name.ToLower() == wanted, ct);
    }
}
