using System.Globalization;
using Bot.Core.Conversation;
using Bot.Core.Events;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Features.Incidents;

/// <summary>An incident was resolved, from any source. Published each time it resolves; subscribers decide what happens once.</summary>
public sealed record IncidentResolved(long IncidentId, string? TeamKey, int Impact) : IFeatureEvent
{
    public long SubjectId => IncidentId;
}

/// <summary>An incident was started in its tool for an escalation (and stored and linked to it).</summary>
public sealed record IncidentStarted(long IncidentId, long EscalationId, string SourceName, string? Url, string Channel, string RequestedBy) : IFeatureEvent
{
    public long SubjectId => IncidentId;
}

/// <summary>The tool refused to start the incident an escalation asked for, for a reason a person can act on.</summary>
public sealed record IncidentStartRefused(long EscalationId, string Reason, string Channel, string RequestedBy) : IFeatureEvent
{
    public long SubjectId => EscalationId;
}

/// <summary>What other features may read of an incident.</summary>
[Published]
public sealed record IncidentSummary(
    long Id, string Title, string? TeamKey, int Impact, DateTimeOffset OpenedAt, DateTimeOffset? ResolvedAt, string? AcknowledgedBy,
    string Source, string? Url, string? ServiceKey = null, long? ReviewId = null)
{
    public string SourceName => IncidentMessages.SourceName(Source);

    public string Reference => IncidentReference.Of(Id);

    public string ImpactLabel => IncidentMessages.ImpactLabel(Impact);
}

[Published]
public static class IncidentReference
{
    /// <summary>How people write an incident: <c>INC-7</c>.</summary>
    public const string Prefix = "INC-";

    public static string Of(long id) => Conversation.References.Of(Prefix, id);

    /// <summary>Reads <c>INC-7</c>, <c>inc-7</c>, <c>#7</c> or <c>7</c>.</summary>
    public static long? Parse(string? text) => Conversation.References.Parse(Prefix, text?.Trim().TrimStart('#'));
}

[Published]
public static class IncidentReadModel
{
    public static Task<IncidentSummary?> FindAsync(BotDbContext db, long id, CancellationToken ct) =>
        db.Incidents.AsNoTracking().Where(i => i.Id == id)
            .Select(i => new IncidentSummary(i.Id, i.Title, i.TeamKey, i.Impact, i.OpenedAt, i.ResolvedAt, i.AcknowledgedBy, i.Source, i.Url, i.ServiceKey, i.ReviewId))
            .FirstOrDefaultAsync(ct);
}

/// <summary>A line of an incident's timeline, as stored here (<c>incident</c>) or as its tool has it, with its id there.</summary>
[Published]
public sealed record IncidentTimelineLine(string Source, string SourceId, DateTimeOffset At, string Actor, string Text);

/// <summary>An incident's timeline: what the bot stored, and what its tool's own timeline holds (read now).</summary>
[Published]
public sealed class IncidentTimelines(IEnumerable<IExternalIncidents> tools)
{
    public async Task<IReadOnlyList<IncidentTimelineLine>> ReadAsync(BotDbContext db, long incidentId, CancellationToken ct)
    {
        var incident = await db.Incidents.AsNoTracking().FirstOrDefaultAsync(i => i.Id == incidentId, ct);
        if (incident is null) return [];
        var lines = await db.IncidentEvents.AsNoTracking().Where(e => e.IncidentId == incidentId).OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => new IncidentTimelineLine("incident", e.Id.ToString(CultureInfo.InvariantCulture), e.At, e.Actor, e.Text)).ToListAsync(ct);
        if (tools.FirstOrDefault(t => t.Source == incident.Source && t.Enabled) is { } tool)
        {
            try
            {
                var name = IncidentMessages.SourceName(incident.Source);
                lines.AddRange((await tool.ReadTimelineAsync(incident.ExternalId, ct)).Select(e => new IncidentTimelineLine(name, e.Id, e.At, name, e.Text)));
            }
            catch (IncidentToolRefusedException)
            {
                // The tool will not show its timeline (no permission): the review starts from what the bot saw.
            }
        }
        return lines.OrderBy(l => l.At).ToArray();
    }
}

/// <summary>The incident's living cards: its card, and other features' messages about it (the review prompt).</summary>
[Published]
public static class IncidentCards
{
    /// <summary>The action id of an "Open in console" link button; a click needs no answer.</summary>
    public static readonly ActionId Open = ActionId.Of(IncidentAction.Open);

    public static Cards.CardSubject Of(long incidentId) => new("incident", incidentId);
}

/// <summary>Whether a team's escalations can start an incident: a connected incident tool has a response plan for it.</summary>
[Published]
public sealed class IncidentStarts(IEnumerable<IExternalIncidents> tools)
{
    public bool CanStartFor(Directory.Team team) => tools.Any(t => t.CanStartFor(team));
}

/// <summary>What the digest counts of one incident.</summary>
[Published]
public sealed record IncidentFact(string? ServiceKey, int Impact, DateTimeOffset OpenedAt, DateTimeOffset? AcknowledgedAt, DateTimeOffset? ResolvedAt,
    string? DeploymentId);

/// <summary>A deployment the digest counts, and whether an incident points at it.</summary>
[Published]
public sealed record DeploymentFact(DateTimeOffset DeployedAt, bool Failed);

[Published]
public static class IncidentImpact
{
    /// <summary>"1 · Critical" to "5 · No impact".</summary>
    public static string Label(int impact) => IncidentMessages.ImpactLabel(impact);
}

[Published]
public static class IncidentFacts
{
    /// <summary>
    /// The team's incidents opened in [<paramref name="from"/>, <paramref name="to"/>), filtered and projected in the
    /// database. An alert storm counts once: its related alerts are part of the incident they were grouped into.
    /// </summary>
    public static async Task<IReadOnlyList<IncidentFact>> OpenedAsync(BotDbContext db, string teamKey, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        await db.Incidents.AsNoTracking().Where(i => i.TeamKey == teamKey && i.OpenedAt >= from && i.OpenedAt < to && i.GroupedIntoId == null)
            .Select(i => new IncidentFact(i.ServiceKey, i.Impact, i.OpenedAt, i.AcknowledgedAt, i.ResolvedAt, i.DeploymentId))
            .ToListAsync(ct);

    /// <summary>
    /// Deployments of the services in [<paramref name="from"/>, <paramref name="to"/>): when, and whether an incident points
    /// at it (a failed change), projected in the database.
    /// </summary>
    public static async Task<IReadOnlyList<DeploymentFact>> DeploymentsAsync(BotDbContext db, IReadOnlyCollection<string> serviceKeys, DateTimeOffset from,
        DateTimeOffset to, CancellationToken ct)
    {
        var incidents = db.Incidents;
        return await db.Deployments.AsNoTracking()
            .Where(d => d.ServiceKey != null && serviceKeys.Contains(d.ServiceKey) && d.DeployedAt >= from && d.DeployedAt < to)
            .Select(d => new DeploymentFact(d.DeployedAt, incidents.Any(i => i.DeploymentId == d.Id)))
            .ToListAsync(ct);
    }

    /// <summary>
    /// The team's incidents opened in [<paramref name="from"/>, <paramref name="to"/>), slowest to recover first, as list
    /// lines for a manager: "INC-7 · Checkout 500s · recovered in 2 h 10 min".
    /// </summary>
    public static async Task<IReadOnlyList<string>> SlowestRecoveredAsync(BotDbContext db, string teamKey, DateTimeOffset from, DateTimeOffset to,
        CancellationToken ct)
    {
        var rows = await db.Incidents.AsNoTracking().Where(i => i.TeamKey == teamKey && i.OpenedAt >= from && i.OpenedAt < to && i.GroupedIntoId == null)
            .Select(i => new { i.Id, i.Title, i.OpenedAt, i.ResolvedAt }).ToListAsync(ct);
        return rows.OrderByDescending(i => (i.ResolvedAt ?? to) - i.OpenedAt).Take(20)
            .Select(i => $"{IncidentReference.Of(i.Id)} · {i.Title} · " +
                         (i.ResolvedAt is { } at ? $"recovered in {Conversation.Durations.Format(at - i.OpenedAt)}" : "still open"))
            .ToArray();
    }
}
