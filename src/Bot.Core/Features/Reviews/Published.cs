using System.Globalization;
using Bot.Core.Directory;
using Bot.Core.Conversation;
using Bot.Core.Events;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Features.Reviews;

/// <summary>A review was started for an incident or an escalation (once per subject, however often a trigger fires).</summary>
public sealed record ReviewRequested(long IncidentId, long? ReviewId = null, long? EscalationId = null) : IFeatureEvent
{
    public long SubjectId => IncidentId;
}

/// <summary>A resolved incident milder than its team's threshold: a review is offered (a button), not started.</summary>
public sealed record ReviewOffered(long IncidentId) : IFeatureEvent
{
    public long SubjectId => IncidentId;
}

/// <summary>A review was completed: the required sections are written and its learnings are being published.</summary>
public sealed record ReviewCompleted(long ReviewId, long? IncidentId, long? EscalationId, string TeamKey, string Title, string? ExportUrl,
    IReadOnlyList<string> FactorTags, int ActionItems) : IFeatureEvent
{
    public long SubjectId => ReviewId;
}

[Published]
public static class ReviewReadModel
{
    public static Task<bool> ExistsAsync(Storage.BotDbContext db, long id, CancellationToken ct) => db.Reviews.AnyAsync(r => r.Id == id, ct);
}

[Published]
public static class ReviewReference
{
    /// <summary>How people write a review: <c>PIR-3</c>.</summary>
    public const string Prefix = "PIR-";

    public static string Of(long id) => References.Of(Prefix, id);

    /// <summary>Reads <c>PIR-3</c>, <c>pir-3</c> or <c>3</c>.</summary>
    public static long? Parse(string? text) => References.Parse(Prefix, text);
}

/// <summary>Buttons other features may put on their cards to reach reviews.</summary>
[Published]
public static class ReviewButtons
{
    /// <summary>"Start a review" for an incident; the value is the incident id.</summary>
    public static readonly ActionId StartForIncident = ActionId.Of(ReviewAction.StartForIncident);

    /// <summary>"Open the review"; the value is the review id.</summary>
    public static readonly ActionId Show = ActionId.Of(ReviewAction.Show);
}

/// <summary>A contributing factor written in a review: an experiment can start from one.</summary>
[Published]
public sealed record ContributingFactor(long Id, long ReviewId, string Text, IReadOnlyList<string> Tags);

[Published]
public static class ContributingFactorReadModel
{
    public static async Task<ContributingFactor?> FindAsync(Storage.BotDbContext db, long contributionId, CancellationToken ct)
    {
        var c = await db.ReviewContributions.AsNoTracking().FirstOrDefaultAsync(x => x.Id == contributionId, ct);
        if (c is null) return null;
        var review = await db.Reviews.AsNoTracking().FirstOrDefaultAsync(r => r.Id == c.ReviewId, ct);
        return review?.Section(c.Section) is { Kind: SectionKind.Factors } ? new ContributingFactor(c.Id, c.ReviewId, c.Text, c.Tags) : null;
    }
}

/// <summary>What other features may read of an action item: an experiment proposal can start from one.</summary>
[Published]
public sealed record ActionItemSummary(long Id, long ReviewId, string Title, string OwnerKey, DateOnly DueOn, string Kind, string Status);

[Published]
public static class ActionItemReadModel
{
    public static Task<ActionItemSummary?> FindAsync(Storage.BotDbContext db, long id, CancellationToken ct) =>
        db.ActionItems.AsNoTracking().Where(a => a.Id == id)
            .Select(a => new ActionItemSummary(a.Id, a.ReviewId, a.Title, a.OwnerKey, a.DueOn, a.Kind.ToString(), a.Status.ToString()))
            .FirstOrDefaultAsync(ct);
}

/// <summary>What the digest counts of one review.</summary>
[Published]
public sealed record ReviewFact(DateTimeOffset ResolvedAt, DateTimeOffset DueAt, DateTimeOffset? CompletedAt, int Contributors);

/// <summary>What the digest counts of one action item.</summary>
[Published]
public sealed record ActionItemFact(DateTimeOffset CreatedAt, DateOnly DueOn, string Status, DateTimeOffset? ClosedAt);

[Published]
public static class ReviewFacts
{
    /// <summary>The team's reviews due or completed in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static async Task<IReadOnlyList<ReviewFact>> DueOrCompletedAsync(Storage.BotDbContext db, string teamKey, DateTimeOffset from, DateTimeOffset to,
        CancellationToken ct) =>
        await db.Reviews.AsNoTracking()
            .Where(r => r.TeamKey == teamKey && ((r.DueAt >= from && r.DueAt < to) || (r.CompletedAt >= from && r.CompletedAt < to)))
            .Select(r => new ReviewFact(r.ResolvedAt, r.DueAt, r.CompletedAt, r.Contributions.Select(c => c.By).Distinct().Count()))
            .ToListAsync(ct);

    /// <summary>The team's action items: every one not closed before <paramref name="from"/> (open, or closed in the window or later).</summary>
    public static async Task<IReadOnlyList<ActionItemFact>> ActionItemsAsync(Storage.BotDbContext db, string teamKey, DateTimeOffset from, DateTimeOffset to,
        CancellationToken ct) =>
        await ActionItemsOf(db, teamKey).Where(a => a.CreatedAt < to && (a.ClosedAt == null || a.ClosedAt >= from))
            .Select(a => new ActionItemFact(a.CreatedAt, a.DueOn, a.Status.ToString(), a.ClosedAt))
            .ToListAsync(ct);

    private static IQueryable<ActionItem> ActionItemsOf(Storage.BotDbContext db, string teamKey)
    {
        var reviews = db.Reviews.Where(r => r.TeamKey == teamKey);
        return db.ActionItems.AsNoTracking().Where(a => reviews.Any(r => r.Id == a.ReviewId));
    }

    /// <summary>The team's reviews still drafts after their due window, at <paramref name="at"/>.</summary>
    public static Task<int> OverdueAsync(Storage.BotDbContext db, string teamKey, DateTimeOffset at, CancellationToken ct) =>
        db.Reviews.AsNoTracking().CountAsync(r => r.TeamKey == teamKey && r.Status == ReviewStatus.Draft && r.DueAt < at, ct);

    /// <summary>The team's overdue reviews as list lines for a manager: "PIR-3 · Checkout errors · owner ana · due 24 Nov".</summary>
    public static async Task<IReadOnlyList<string>> OverdueListAsync(Storage.BotDbContext db, string teamKey, DateTimeOffset at, CancellationToken ct)
    {
        var rows = await db.Reviews.AsNoTracking().Where(r => r.TeamKey == teamKey && r.Status == ReviewStatus.Draft && r.DueAt < at)
            .OrderBy(r => r.DueAt).Take(20).Select(r => new { r.Id, r.Title, r.OwnerKey, r.DueAt }).ToListAsync(ct);
        var names = await PersonNames.ByKeyAsync(db, ct);
        return rows.Select(r => $"{ReviewReference.Of(r.Id)} · {r.Title} · owner {names.GetValueOrDefault(r.OwnerKey, r.OwnerKey)} · " +
                                $"due {r.DueAt.ToString("d MMM", System.Globalization.CultureInfo.InvariantCulture)}").ToArray();
    }

    /// <summary>The team's reviews that tagged <paramref name="tag"/> as a contributing factor in [<paramref name="from"/>, <paramref name="to"/>), as list lines.</summary>
    public static async Task<IReadOnlyList<string>> NamingFactorAsync(Storage.BotDbContext db, string teamKey, string tag, DateTimeOffset from,
        DateTimeOffset to, CancellationToken ct)
    {
        var reviews = db.Reviews.Where(r => r.TeamKey == teamKey);
        var tagged = await db.ReviewContributions.AsNoTracking().Where(c => c.At >= from && c.At < to && reviews.Any(r => r.Id == c.ReviewId))
            .Select(c => new { c.ReviewId, c.Tags }).ToListAsync(ct);
        var ids = tagged.Where(c => c.Tags.Contains(tag)).Select(c => c.ReviewId).Distinct().ToArray();
        return (await db.Reviews.AsNoTracking().Where(r => ids.Contains(r.Id)).OrderBy(r => r.Id).Take(20).Select(r => new { r.Id, r.Title }).ToListAsync(ct))
            .Select(r => $"{ReviewReference.Of(r.Id)} · {r.Title}").ToArray();
    }

    /// <summary>The team's open action items past their due date on <paramref name="today"/>, as list lines for a manager.</summary>
    public static async Task<IReadOnlyList<string>> OverdueActionItemsAsync(Storage.BotDbContext db, string teamKey, DateOnly today, CancellationToken ct)
    {
        var rows = await ActionItemsOf(db, teamKey).Where(a => a.Status == ActionStatus.Open && a.DueOn < today)
            .OrderBy(a => a.DueOn).Take(20).Select(a => new { a.ReviewId, a.Title, a.OwnerKey, a.DueOn }).ToListAsync(ct);
        var names = await PersonNames.ByKeyAsync(db, ct);
        return rows.Select(a => $"{a.Title} · {names.GetValueOrDefault(a.OwnerKey, a.OwnerKey)} · due " +
                                $"{a.DueOn.ToString("d MMM", System.Globalization.CultureInfo.InvariantCulture)} ({ReviewReference.Of(a.ReviewId)})").ToArray();
    }

    /// <summary>Contributing-factor tags written in the team's reviews in [<paramref name="from"/>, <paramref name="to"/>), with how many reviews each was used in.</summary>
    public static async Task<IReadOnlyList<(string Tag, int Count)>> FactorTagsAsync(Storage.BotDbContext db, string teamKey, DateTimeOffset from,
        DateTimeOffset to, CancellationToken ct)
    {
        var reviews = db.Reviews.Where(r => r.TeamKey == teamKey);
        var rows = await db.ReviewContributions.AsNoTracking()
            .Where(c => c.At >= from && c.At < to && reviews.Any(r => r.Id == c.ReviewId))
            .Select(c => new { c.Section, c.Tags, c.ReviewId }).ToListAsync(ct);
        var factorSections = await db.Reviews.AsNoTracking().Where(r => r.TeamKey == teamKey && rows.Select(x => x.ReviewId).Contains(r.Id))
            .Select(r => new { r.Id, r.Sections }).ToListAsync(ct);
        var factors = factorSections.ToDictionary(r => r.Id, r => r.Sections.Where(s => s.Kind == SectionKind.Factors).Select(s => s.Key).ToHashSet());
        // Counted once per review, however many of its writers tagged it: a tag recurs across reviews.
        return rows.Where(x => factors.TryGetValue(x.ReviewId, out var keys) && keys.Contains(x.Section))
            .SelectMany(x => x.Tags.Select(t => (Tag: t, x.ReviewId))).Distinct()
            .GroupBy(t => t.Tag).Select(g => (g.Key, g.Count())).OrderByDescending(x => x.Item2).ThenBy(x => x.Key, StringComparer.Ordinal).ToArray();
    }
}
