using System.Globalization;
using Bot.Core.Events;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Features.Incidents;

/// <summary>An incident was resolved, from any source. Published each time it resolves; subscribers decide what happens once.</summary>
public sealed record IncidentResolved(long IncidentId, string? TeamKey, int Impact) : IFeatureEvent
{
    public long SubjectId => IncidentId;
}

/// <summary>What other features may read of an incident.</summary>
public sealed record IncidentSummary(
    long Id, string Title, string? TeamKey, int Impact, DateTimeOffset OpenedAt, DateTimeOffset? ResolvedAt, string? AcknowledgedBy)
{
    public string Reference => IncidentReference.Of(Id);
}

public static class IncidentReference
{
    /// <summary>How people write an incident: <c>INC-7</c>.</summary>
    public const string Prefix = "INC-";

    public static string Of(long id) => Prefix + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads <c>INC-7</c>, <c>inc-7</c>, <c>#7</c> or <c>7</c>.</summary>
    public static long? Parse(string? text)
    {
        if (text is null) return null;
        var t = text.Trim().TrimStart('#');
        if (t.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) t = t[Prefix.Length..];
        return long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }
}

public static class IncidentReadModel
{
    public static Task<IncidentSummary?> FindAsync(BotDbContext db, long id, CancellationToken ct) =>
        db.Incidents.AsNoTracking().Where(i => i.Id == id)
            .Select(i => new IncidentSummary(i.Id, i.Title, i.TeamKey, i.Impact, i.OpenedAt, i.ResolvedAt, i.AcknowledgedBy))
            .FirstOrDefaultAsync(ct);
}

/// <summary>The incident's living cards: its card, and other features' messages about it (the review prompt).</summary>
public static class IncidentCards
{
    public static Cards.CardSubject Of(long incidentId) => new("incident", incidentId);
}
