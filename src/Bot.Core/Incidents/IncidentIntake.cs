using Bot.Core.Directory;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Incidents;

public enum IntakeOutcome { Created, Resolved, Reopened, Unchanged }

/// <summary>
/// Turns reports from any source into stored incidents. Idempotent on (source, id, status): a report that repeats
/// what is stored changes nothing, so retried webhooks, duplicate notifications and the reconciliation job meet in
/// one stream of incident events. The service is matched to the directory, which gives the owning team.
/// </summary>
public static class IncidentIntake
{
    public static async Task<(IntakeOutcome Outcome, Incident Incident)> ApplyAsync(BotDbContext db, IncidentReport report, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            return await ApplyOnceAsync(db, report, now, ct);
        }
        catch (DbUpdateException)
        {
            // The same incident arrived twice at once (a push and the reconciliation): the other delivery stored it first.
            db.ChangeTracker.Clear();
            return await ApplyOnceAsync(db, report, now, ct);
        }
    }

    private static async Task<(IntakeOutcome, Incident)> ApplyOnceAsync(BotDbContext db, IncidentReport report, DateTimeOffset now, CancellationToken ct)
    {
        var incident = await db.Incidents.Include(i => i.Timeline)
            .FirstOrDefaultAsync(i => i.Source == report.Source && i.ExternalId == report.ExternalId, ct);
        var resolved = report.Status == ReportedStatus.Resolved;
        IntakeOutcome outcome;
        if (incident is null)
        {
            var service = await FindServiceAsync(db, report.Service, ct);
            incident = new Incident
            {
                Source = report.Source, ExternalId = report.ExternalId, Title = report.Title, Impact = report.Impact, Url = report.Url,
                ServiceKey = service?.Key, TeamKey = service?.TeamKey, DeploymentId = report.DeploymentId,
                OpenedAt = report.OpenedAt ?? now, Status = IncidentStatus.Open,
            };
            if (report.Url is not null) incident.Links.Add(new IncidentLink("Open in " + report.Source, report.Url));
            incident.Record(now, IncidentEventKind.Opened, report.Source, $"Opened (impact {report.Impact}){(service is null ? "" : $" on {service.Name}")}");
            db.Incidents.Add(incident);
            outcome = IntakeOutcome.Created;
            if (resolved) Resolve(incident, report, now);
        }
        else if (resolved && incident.Status == IncidentStatus.Open)
        {
            Resolve(incident, report, now);
            outcome = IntakeOutcome.Resolved;
        }
        else if (!resolved && incident.Status == IncidentStatus.Resolved)
        {
            incident.Status = IncidentStatus.Open;
            incident.ResolvedAt = null;
            incident.Record(now, IncidentEventKind.Reopened, report.Source, "Reopened");
            outcome = IntakeOutcome.Reopened;
        }
        else
        {
            return (IntakeOutcome.Unchanged, incident);
        }
        if (report.DeploymentId is { } deployment && incident.DeploymentId != deployment)
        {
            incident.DeploymentId = deployment;
            incident.Record(now, IncidentEventKind.LinkedDeployment, report.Source, $"Linked to deployment {deployment}");
        }
        incident.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        return (outcome, incident);
    }

    private static void Resolve(Incident incident, IncidentReport report, DateTimeOffset now)
    {
        incident.Status = IncidentStatus.Resolved;
        incident.ResolvedAt = report.ResolvedAt ?? now;
        incident.Record(now, IncidentEventKind.Resolved, report.Source, $"Resolved after {Duration(incident.ResolvedAt.Value - incident.OpenedAt)}");
    }

    /// <summary>Stores a reported deployment once (by its id); true when it was new.</summary>
    public static async Task<bool> RecordDeploymentAsync(BotDbContext db, DeploymentReport report, DateTimeOffset now, CancellationToken ct)
    {
        if (await db.Deployments.AnyAsync(d => d.Id == report.Id, ct)) return false;
        var service = await FindServiceAsync(db, report.Service, ct);
        db.Deployments.Add(new Deployment
        {
            Id = report.Id, Service = report.Service, ServiceKey = service?.Key, Version = report.Version, DeployedAt = report.DeployedAt,
            Outcome = report.Outcome, ReceivedAt = now,
        });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    /// <summary>A service by its key, else by its name, ignoring case; tools name services their own way.</summary>
    private static async Task<Service?> FindServiceAsync(BotDbContext db, string? name, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var wanted = name.Trim().ToLowerInvariant();
        return await db.Services.AsNoTracking().FirstOrDefaultAsync(s => s.Key.ToLower() == wanted || s.Name.ToLower() == wanted, ct);
    }

    private static string Duration(TimeSpan span) =>
        span.TotalMinutes < 1 ? "less than a minute"
        : span.TotalHours < 1 ? $"{(int)span.TotalMinutes} min"
        : span.TotalDays < 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
        : $"{(int)span.TotalDays} d {span.Hours} h";
}
