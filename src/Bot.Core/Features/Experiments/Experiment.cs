using Bot.Core.Storage;

namespace Bot.Core.Features.Experiments;

public enum ExperimentKind { Process, Tooling, Architecture, GameDay }

/// <summary>How far a failed experiment could reach; it decides whether an approval is needed.</summary>
public enum BlastRadius { TeamOnly, NonProduction, LimitedProduction, FullProduction }

public enum ExperimentStatus { Proposed, ChangesRequested, Approved, Running, Concluded, Published, Withdrawn }

public enum ExperimentOutcome { Adopt, Iterate, Abandon }

/// <summary>
/// An improvement experiment proposed in the open: a hypothesis, how it is measured, how far it could reach and how
/// to stop it, who supports, joins, follows or worries about it, and every step from proposal to published result.
/// </summary>
public sealed class Experiment : IVersioned
{
    public long Id { get; set; }
    public int Version { get; set; }

    public string TeamKey { get; set; } = "";
    public string Title { get; set; } = "";
    public string Hypothesis { get; set; } = "";
    public string Metric { get; set; } = "";
    public string Threshold { get; set; } = "";
    public ExperimentKind Kind { get; set; }
    public BlastRadius Radius { get; set; }
    public DateOnly StartsOn { get; set; }
    public DateOnly EndsOn { get; set; }
    public string? Rollback { get; set; }
    public string? SponsorKey { get; set; }
    public string? Link { get; set; }

    /// <summary>The review action item or contributing factor it grew from, if any (e.g. <c>PIR-3</c>).</summary>
    public string? From { get; set; }

    public string ProposerKey { get; set; } = "";
    public string ProposerName { get; set; } = "";
    public DateTimeOffset ProposedAt { get; set; }

    public ExperimentStatus Status { get; set; }
    public string? DecidedBy { get; set; }
    public string? ChangesNote { get; set; }

    public ExperimentOutcome? Outcome { get; set; }
    public string? Result { get; set; }
    public string? Learning { get; set; }
    public DateTimeOffset? ConcludedAt { get; set; }

    public List<ExperimentTransition> Transitions { get; set; } = [];
    public List<ExperimentParticipant> Participants { get; set; } = [];
    public List<ExperimentConcern> Concerns { get; set; } = [];

    public bool NeedsApproval => Radius is BlastRadius.LimitedProduction or BlastRadius.FullProduction;

    public bool IsOpen => Status is not (ExperimentStatus.Concluded or ExperimentStatus.Published or ExperimentStatus.Withdrawn);

    public int Count(ParticipantRole role) => Participants.Count(p => p.Role == role);

    public bool Has(string personKey, ParticipantRole role) => Participants.Any(p => p.PersonKey == personKey && p.Role == role);

    /// <summary>Moves to <paramref name="to"/>, recording who and when; the caller announces it.</summary>
    public ExperimentTransition Move(ExperimentStatus to, string by, DateTimeOffset at, string? note = null)
    {
        var transition = new ExperimentTransition { From = Status, To = to, By = by, At = at, Note = note };
        Transitions.Add(transition);
        Status = to;
        return transition;
    }
}

/// <summary>One step of an experiment's life, with who took it and when.</summary>
public sealed class ExperimentTransition
{
    public long Id { get; set; }
    public long ExperimentId { get; set; }
    public ExperimentStatus From { get; set; }
    public ExperimentStatus To { get; set; }
    public string By { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string? Note { get; set; }
}

public enum ParticipantRole { Supporter, Joiner, Follower }

/// <summary>Someone supporting, joining or following an experiment: once per person and role.</summary>
public sealed class ExperimentParticipant
{
    public long Id { get; set; }
    public long ExperimentId { get; set; }
    public string PersonKey { get; set; } = "";
    public ParticipantRole Role { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>A concern, always attributed: raising one is part of a safe culture.</summary>
public sealed class ExperimentConcern
{
    public long Id { get; set; }
    public long ExperimentId { get; set; }
    public string ByKey { get; set; } = "";
    public string ByName { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string Text { get; set; } = "";
}
