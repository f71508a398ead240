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
    public static readonly ActionId FromActionItem = ActionId.Of(ExperimentAction.FromActionItem);

    /// <summary>"Propose an experiment" for a review's contributing factor; the value is the contribution's id.</summary>
    public static readonly ActionId FromFactor = ActionId.Of(ExperimentAction.FromFactor);
}

/// <summary>What the digest counts of a team's experiments in a window.</summary>
[Published]
public sealed record ExperimentCounts(int Proposed, int Approved, int Concluded, int Adopted);

/// <summary>When a team's experiments were proposed, approved and concluded; counted per window by the digest.</summary>
[Published]
public sealed record ExperimentActivity(IReadOnlyList<DateTimeOffset> Proposed, IReadOnlyList<DateTimeOffset> Approved,
    IReadOnlyList<(DateTimeOffset At, bool Adopted)> Concluded)
{
    public ExperimentCounts CountsIn(DateTimeOffset from, DateTimeOffset to)
    {
        bool In(DateTimeOffset at) => at >= from && at < to;
        return new ExperimentCounts(Proposed.Count(In), Approved.Count(In), Concluded.Count(c => In(c.At)), Concluded.Count(c => In(c.At) && c.Adopted));
    }
}

[Published]
public static class ExperimentFacts
{
    /// <summary>
    /// What the team's experiments did in [<paramref name="from"/>, <paramref name="to"/>): when each was proposed,
    /// approved and concluded (and whether adopted), as small projections read in the database.
    /// </summary>
    public static async Task<ExperimentActivity> ActivityAsync(Storage.BotDbContext db, string teamKey, DateTimeOffset from, DateTimeOffset to,
        CancellationToken ct)
    {
        var team = db.Experiments.AsNoTracking().Where(e => e.TeamKey == teamKey);
        var proposed = await team.Where(e => e.ProposedAt >= from && e.ProposedAt < to).Select(e => e.ProposedAt).ToListAsync(ct);
        var approved = await db.ExperimentTransitions.AsNoTracking()
            .Where(t => t.To == ExperimentStatus.Approved && t.At >= from && t.At < to && team.Any(e => e.Id == t.ExperimentId)).Select(t => t.At).ToListAsync(ct);
        var concluded = await team.Where(e => e.ConcludedAt >= from && e.ConcludedAt < to)
            .Select(e => new { At = e.ConcludedAt!.Value, Adopted = e.Outcome == ExperimentOutcome.Adopt }).ToListAsync(ct);
        return new ExperimentActivity(proposed, approved, concluded.Select(c => (c.At, c.Adopted)).ToArray());
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
