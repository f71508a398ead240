using System.Globalization;
using Bot.Core.Conversation;
using Bot.Core.Events;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Features.Experiments;

/// <summary>An experiment moved from one state to another (proposed, approved, running, concluded, published, withdrawn, …).</summary>
public sealed record ExperimentMoved(long ExperimentId, string TeamKey, string From, string To, string By, string Radius) : IFeatureEvent
{
    public long SubjectId => ExperimentId;
}

/// <summary>An experiment was concluded: adopt, iterate or abandon, with what was measured and learned.</summary>
public sealed record ExperimentConcluded(long ExperimentId, string TeamKey, string Outcome, string Result, string Learning) : IFeatureEvent
{
    public long SubjectId => ExperimentId;
}

[Published]
public static class ExperimentReference
{
    /// <summary>How people write an experiment: <c>EXP-4</c>.</summary>
    public const string Prefix = "EXP-";

    public static string Of(long id) => References.Of(Prefix, id);

    /// <summary>Reads <c>EXP-4</c>, <c>exp-4</c> or <c>4</c>.</summary>
    public static long? Parse(string? text) => References.Parse(Prefix, text);
}

/// <summary>Buttons other features put on their messages to start a proposal from what they hold.</summary>
[Published]
public static class ExperimentButtons
{
    /// <summary>"Propose as an experiment" on a review's action item; the value is the action item's id.</summary>
    public const string FromActionItem = "experiment.from-item";

    /// <summary>"Propose an experiment" for a review's contributing factor; the value is the contribution's id.</summary>
    public const string FromFactor = "experiment.from-factor";
}

/// <summary>What the digest counts of a team's experiments in a window.</summary>
[Published]
public sealed record ExperimentCounts(int Proposed, int Approved, int Concluded, int Adopted);

[Published]
public static class ExperimentFacts
{
    /// <summary>The team's experiments proposed, approved, concluded and adopted in [<paramref name="from"/>, <paramref name="to"/>), counted in the database.</summary>
    public static async Task<ExperimentCounts> CountsAsync(Storage.BotDbContext db, string teamKey, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var team = db.Experiments.AsNoTracking().Where(e => e.TeamKey == teamKey);
        var proposed = await team.CountAsync(e => e.ProposedAt >= from && e.ProposedAt < to, ct);
        var approved = await db.ExperimentTransitions.AsNoTracking()
            .CountAsync(t => t.To == ExperimentStatus.Approved && t.At >= from && t.At < to && team.Any(e => e.Id == t.ExperimentId), ct);
        var concluded = await team.CountAsync(e => e.ConcludedAt >= from && e.ConcludedAt < to, ct);
        var adopted = await team.CountAsync(e => e.ConcludedAt >= from && e.ConcludedAt < to && e.Outcome == ExperimentOutcome.Adopt, ct);
        return new ExperimentCounts(proposed, approved, concluded, adopted);
    }

    /// <summary>The same experiments as list lines for a manager: "EXP-4 · Canary config deploys · proposed by Ana".</summary>
    public static async Task<IReadOnlyList<string>> AwaitingApprovalListAsync(Storage.BotDbContext db, string teamKey, CancellationToken ct) =>
        (await db.Experiments.AsNoTracking().Where(e => e.TeamKey == teamKey && e.Status == ExperimentStatus.Proposed
                && (e.Radius == BlastRadius.LimitedProduction || e.Radius == BlastRadius.FullProduction))
            .OrderBy(e => e.ProposedAt).Take(20).Select(e => new { e.Id, e.Title, e.ProposerName }).ToListAsync(ct))
        .Select(e => $"{ExperimentReference.Of(e.Id)} · {e.Title} · proposed by {e.ProposerName}").ToArray();

    /// <summary>The team's production experiments waiting for their sponsor or a manager.</summary>
    public static Task<int> AwaitingApprovalAsync(Storage.BotDbContext db, string teamKey, CancellationToken ct) =>
        db.Experiments.AsNoTracking().CountAsync(e => e.TeamKey == teamKey && e.Status == ExperimentStatus.Proposed
            && (e.Radius == BlastRadius.LimitedProduction || e.Radius == BlastRadius.FullProduction), ct);
}
