using Bot.Core.Conversation;

namespace Bot.Core.Features.Experiments;

/// <summary>The experiment card's buttons, and the ones other features put on their messages (<see cref="ExperimentButtons"/>).</summary>
[FlowIds(ExperimentFlow.Key)]
public enum ExperimentAction
{
    Support,
    Concern,
    Join,
    Follow,
    Approve,
    [Wire("ask-changes")] AskForChanges,
    Revise,
    Withdraw,
    RecordResult,
    Show,

    /// <summary>A link button to the experiment's page or dashboard; a click needs no answer.</summary>
    Open,

    /// <summary>"Propose as an experiment" on a review's action item; the value is the action item's id.</summary>
    [Wire("from-item")] FromActionItem,

    /// <summary>"Propose an experiment" for a review's contributing factor; the value is the contribution's id.</summary>
    FromFactor,
}

/// <summary>The flow's forms: proposing (or revising), a concern, asking for changes, and the result.</summary>
[FlowIds(ExperimentFlow.Key)]
public enum ExperimentForm { Propose, Concern, Changes, Conclude }
