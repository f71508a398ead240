using System.Globalization;
using Bot.Core.Events;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Features.Escalation;

/// <summary>An escalation was resolved in chat, with its one-line outcome; <paramref name="IncidentId"/> when an incident was started from it.</summary>
public sealed record EscalationResolved(long EscalationId, string TeamKey, long? IncidentId, string ResolvedBy, string Outcome,
    EscalationOutcome Kind = EscalationOutcome.Fixed) : IFeatureEvent
{
    public long SubjectId => EscalationId;
}

/// <summary>Someone took the escalation in chat.</summary>
public sealed record EscalationAcknowledged(long EscalationId, string TeamKey, long? IncidentId, string By, DateTimeOffset At) : IFeatureEvent
{
    public long SubjectId => EscalationId;
}

/// <summary>Nobody acknowledged in time, so the next level of the team's path was asked.</summary>
public sealed record EscalationReescalated(long EscalationId, long? IncidentId, string LevelName, string Waited) : IFeatureEvent
{
    public long SubjectId => EscalationId;
}

/// <summary>
/// Someone asked, from an escalation, for an incident in the team's incident tool. <paramref name="RequestedBy"/> is
/// their user id in <paramref name="Channel"/>; the answer (<c>IncidentStarted</c> or <c>IncidentStartRefused</c>) names the escalation.
/// </summary>
public sealed record IncidentRequested(
    long EscalationId, string TeamKey, string? ServiceKey, string Title, int Impact, string Summary, string LinkTitle, string? LinkUrl,
    DateTimeOffset RaisedAt, string Channel, string RequestedBy) : IFeatureEvent
{
    public long SubjectId => EscalationId;
}

/// <summary>What kind of outcome an escalation was resolved with; every kind is a healthy one, the digest counts them.</summary>
[Published]
public enum EscalationOutcome
{
    Fixed,

    /// <summary>Nothing was wrong after all, and escalating was still the right call.</summary>
    FalseAlarm,
    HandedOver,
    NeedsReview,
}

/// <summary>What other features may read of an escalation.</summary>
[Published]
public sealed record EscalationSummary(long Id, string Summary, string TeamKey, string? ServiceKey, string RaisedByName, DateTimeOffset RaisedAt,
    string? AcknowledgedByKey, DateTimeOffset? AcknowledgedAt, DateTimeOffset? ResolvedAt, string? Outcome, EscalationOutcome? OutcomeKind,
    long? IncidentId, string Impact);

/// <summary>A line of an escalation's timeline.</summary>
[Published]
public sealed record EscalationTimelineLine(DateTimeOffset At, string Actor, string Text);

[Published]
public static class EscalationReadModel
{
    public static Task<EscalationSummary?> FindAsync(Storage.BotDbContext db, long id, CancellationToken ct) =>
        db.Escalations.AsNoTracking().Where(e => e.Id == id)
            .Select(e => new EscalationSummary(e.Id, e.Summary, e.TeamKey, e.ServiceKey, e.RaisedByName, e.RaisedAt, e.AcknowledgedByKey, e.AcknowledgedAt,
                e.ResolvedAt, e.Outcome, e.OutcomeKind, e.IncidentId, e.Impact.ToString()))
            .FirstOrDefaultAsync(ct);

    /// <summary>The escalation of an incident started from one, if any.</summary>
    public static Task<long?> OfIncidentAsync(Storage.BotDbContext db, long incidentId, CancellationToken ct) =>
        db.Escalations.AsNoTracking().Where(e => e.IncidentId == incidentId).OrderBy(e => e.Id).Select(e => (long?)e.Id).FirstOrDefaultAsync(ct);

    public static async Task<IReadOnlyList<EscalationTimelineLine>> TimelineAsync(Storage.BotDbContext db, long id, CancellationToken ct) =>
        await db.EscalationEvents.AsNoTracking().Where(e => e.EscalationId == id).OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => new EscalationTimelineLine(e.At, e.Actor, e.Text)).ToListAsync(ct);
}

[Published]
public static class EscalationReference
{
    /// <summary>How people write an escalation: <c>#12</c>.</summary>
    public static string Of(long id) => "#" + id.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What the digest counts of one escalation.</summary>
[Published]
public sealed record EscalationFact(DateTimeOffset RaisedAt, DateTimeOffset? AcknowledgedAt, string RaisedBy, EscalationOutcome? Outcome, int Reescalations);

[Published]
public static class EscalationFacts
{
    /// <summary>The team's escalations raised in [<paramref name="from"/>, <paramref name="to"/>), as small rows: filtered and projected in the database.</summary>
    public static async Task<IReadOnlyList<EscalationFact>> RaisedAsync(Storage.BotDbContext db, string teamKey, DateTimeOffset from, DateTimeOffset to,
        CancellationToken ct) =>
        await db.Escalations.AsNoTracking().Where(e => e.TeamKey == teamKey && e.RaisedAt >= from && e.RaisedAt < to)
            .Select(e => new EscalationFact(e.RaisedAt, e.AcknowledgedAt, e.RaisedByKey ?? e.RaisedByName, e.OutcomeKind,
                e.Timeline.Count(t => t.Kind == EscalationEventKind.Reescalated)))
            .ToListAsync(ct);

    /// <summary>
    /// The team's escalations raised in [<paramref name="from"/>, <paramref name="to"/>), slowest to be acknowledged first,
    /// as list lines for a manager: "#12 · Checkout is slow · acknowledged after 14 min".
    /// </summary>
    public static async Task<IReadOnlyList<string>> SlowestAcknowledgedAsync(Storage.BotDbContext db, string teamKey, DateTimeOffset from, DateTimeOffset to,
        CancellationToken ct)
    {
        var rows = await db.Escalations.AsNoTracking().Where(e => e.TeamKey == teamKey && e.RaisedAt >= from && e.RaisedAt < to)
            .Select(e => new { e.Id, e.Summary, e.RaisedAt, e.AcknowledgedAt }).ToListAsync(ct);
        return rows.OrderByDescending(e => (e.AcknowledgedAt ?? to) - e.RaisedAt).Take(20)
            .Select(e => $"{EscalationReference.Of(e.Id)} · {e.Summary} · " +
                         (e.AcknowledgedAt is { } at ? $"acknowledged after {Conversation.Durations.Format(at - e.RaisedAt)}" : "never acknowledged"))
            .ToArray();
    }
}
