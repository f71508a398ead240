using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bot.Core.Features.Incidents;

/// <summary>Settings of the incidents feature, under <c>Incidents</c>.</summary>
public sealed class IncidentOptions
{
    public const string Section = "Incidents";

    /// <summary>
    /// Alerts for the same service and team that arrive within this time after the first one are grouped into it as
    /// related alerts (one card, not one per alert). Zero turns grouping off. At most a day.
    /// </summary>
    public TimeSpan GroupWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How incidents started from chat are taken in: never grouped, a person asked for exactly that incident.</summary>
    public static readonly IncidentOptions NoGrouping = new() { GroupWindow = TimeSpan.Zero };
}

/// <summary>
/// The alert group of one team's service: the incident that opened it (its card carries the group) and when. One row per
/// team and service, reused by the next group; it is also the lock that makes two alerts arriving at once agree on one primary.
/// </summary>
public sealed class IncidentGroup
{
    public string TeamKey { get; set; } = "";
    public string ServiceKey { get; set; } = "";

    /// <summary>The primary incident, or null when the last group was split out or never started.</summary>
    public long? PrimaryId { get; set; }
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>Bumped by every writer first: the row lock that serializes grouping for the service.</summary>
    public long Turns { get; set; }
}

public sealed class IncidentGroupConfiguration : IEntityTypeConfiguration<IncidentGroup>
{
    public void Configure(EntityTypeBuilder<IncidentGroup> e)
    {
        e.ToTable("IncidentGroups");
        e.HasKey(x => new { x.TeamKey, x.ServiceKey });
        e.Property(x => x.TeamKey).HasMaxLength(64);
        e.Property(x => x.ServiceKey).HasMaxLength(64);
    }
}

/// <summary>
/// The related alerts of a primary incident, as its card shows them: how many, how many still open, the newest few
/// titles, and <see cref="Revision"/>, which moves whenever one of them is added or changes.
/// </summary>
public sealed record RelatedAlerts(int Count, int Open, IReadOnlyList<string> LatestTitles, long Revision)
{
    public const int TitlesShown = 3;

    /// <summary>
    /// The version of a primary's card: its own version and its related alerts' revision, hashed to one number. Related
    /// alerts do not write to the primary (a storm would queue on its row), so the card's version is read from both.
    /// </summary>
    public static int CardVersion(int incidentVersion, RelatedAlerts? related)
    {
        if (related is null) return incidentVersion;
        var text = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{incidentVersion}:{related.Count}:{related.Open}:{related.Revision}");
        return BitConverter.ToInt32(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(text)));
    }
}

/// <summary>
/// Alert storms: a new incident for a team's service joins the open group of that service when the group started within
/// <see cref="IncidentOptions.GroupWindow"/>, else starts one. Grouped incidents are stored and listed like any other, but
/// their card is the primary's; <see cref="SplitAsync"/> undoes a group.
/// </summary>
public static class IncidentGrouping
{
    /// <summary>
    /// The primary of the service's open group, read without a lock: a storm's alerts join it side by side. Null when there
    /// is none (then <see cref="JoinOrStartAsync"/> decides under the lock). Incidents without a team or a known service are never grouped.
    /// </summary>
    public static async Task<long?> OpenGroupAsync(BotDbContext db, string? team, string? service, TimeSpan window, DateTimeOffset now, CancellationToken ct)
    {
        if (window <= TimeSpan.Zero || team is null || service is null) return null;
        var incidents = db.Incidents;
        var group = await db.IncidentGroups.AsNoTracking().Where(g => g.TeamKey == team && g.ServiceKey == service && g.PrimaryId != null)
            .Select(g => new
            {
                g.PrimaryId, g.StartedAt,
                Open = incidents.Any(i => i.Id == g.PrimaryId && i.Status == IncidentStatus.Open && i.GroupedIntoId == null),
            })
            .FirstOrDefaultAsync(ct);
        return group is { Open: true } && group.StartedAt >= now - window ? group.PrimaryId : null;
    }

    /// <summary>Makes <paramref name="incident"/> a related alert of <paramref name="primaryId"/> (saved with the caller's changes).</summary>
    public static void Join(Incident incident, long primaryId, DateTimeOffset now)
    {
        incident.GroupedIntoId = primaryId;
        incident.Record(now, IncidentEventKind.Note, "bot", $"Grouped into {IncidentReference.Of(primaryId)} as a related alert");
    }

    /// <summary>
    /// For a new incident (saved, not yet committed) that found no open group: under the service's lock, joins a group
    /// another alert started meanwhile, or starts one with it. Returns the primary's id when it joined.
    /// </summary>
    public static async Task<long?> JoinOrStartAsync(BotDbContext db, Incident incident, TimeSpan window, DateTimeOffset now, CancellationToken ct)
    {
        if (window <= TimeSpan.Zero || incident.TeamKey is not { } team || incident.ServiceKey is not { } service) return null;
        var group = await LockAsync(db, team, service, ct);
        if (await OpenGroupAsync(db, team, service, window, now, ct) is { } primaryId && primaryId != incident.Id)
        {
            Join(incident, primaryId, now);
            return primaryId;
        }
        group.PrimaryId = incident.Id;
        group.StartedAt = now;
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>
    /// Splits every related alert out of <paramref name="primary"/>'s group: each gets a card of its own, and the group ends,
    /// so the next alert starts a new one. Returns how many were split out.
    /// </summary>
    public static async Task<int> SplitAsync(BotDbContext db, Incident primary, string actor, DateTimeOffset now, CancellationToken ct)
    {
        if (primary.TeamKey is { } team && primary.ServiceKey is { } service)
        {
            var group = await LockAsync(db, team, service, ct);
            if (group.PrimaryId == primary.Id) group.PrimaryId = null;
        }
        var primaryId = primary.Id;
        var related = await db.Incidents.Where(i => i.GroupedIntoId == primaryId).OrderBy(i => i.Id).ToListAsync(ct);
        foreach (var incident in related)
        {
            incident.GroupedIntoId = null;
            incident.UpdatedAt = now;
            incident.Record(now, IncidentEventKind.Note, actor, $"Split out of {IncidentReference.Of(primaryId)}");
            IncidentReminders.ScheduleAfter(db, incident, IntakeOutcome.Created, now);
        }
        if (related.Count > 0)
        {
            primary.UpdatedAt = now;
            primary.Record(now, IncidentEventKind.Note, actor, $"Split out {related.Count} related alert(s)");
            IncidentReminders.ScheduleRefresh(db, primary.Id, now);
        }
        await db.SaveChangesAsync(ct);
        return related.Count;
    }

    /// <summary>The related alerts of <paramref name="primaryId"/>, or null when it has none.</summary>
    public static async Task<RelatedAlerts?> RelatedAsync(BotDbContext db, long primaryId, CancellationToken ct)
    {
        var related = db.Incidents.AsNoTracking().Where(i => i.GroupedIntoId == primaryId);
        var counts = await related.GroupBy(_ => 1)
            .Select(g => new { Count = g.Count(), Open = g.Count(i => i.Status == IncidentStatus.Open), Versions = g.Sum(i => (long)i.Version) })
            .FirstOrDefaultAsync(ct);
        if (counts is null) return null;
        var titles = await related.OrderByDescending(i => i.Id).Take(RelatedAlerts.TitlesShown).Select(i => i.Title).ToListAsync(ct);
        return new RelatedAlerts(counts.Count, counts.Open, titles, counts.Versions + counts.Count);
    }

    /// <summary>
    /// The service's group row, created when missing, and locked for the rest of the transaction: every writer bumps it
    /// first, so a second alert arriving at once waits and then sees the first one's group. A twin insert fails the
    /// transaction, and the intake retries it.
    /// </summary>
    private static async Task<IncidentGroup> LockAsync(BotDbContext db, string team, string service, CancellationToken ct)
    {
        var groups = db.Set<IncidentGroup>();
        if (await groups.Where(g => g.TeamKey == team && g.ServiceKey == service).ExecuteUpdateAsync(s => s.SetProperty(g => g.Turns, g => g.Turns + 1), ct) == 0)
        {
            var created = new IncidentGroup { TeamKey = team, ServiceKey = service, Turns = 1 };
            groups.Add(created);
            await db.SaveChangesAsync(ct);
            return created;
        }
        // A row this context already tracks would keep its old values: read again what the lock now holds.
        if (groups.Local.FirstOrDefault(g => g.TeamKey == team && g.ServiceKey == service) is { } tracked)
        {
            await db.Entry(tracked).ReloadAsync(ct);
            return tracked;
        }
        return await groups.FirstAsync(g => g.TeamKey == team && g.ServiceKey == service, ct);
    }
}
