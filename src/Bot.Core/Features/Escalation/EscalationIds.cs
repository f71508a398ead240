using Bot.Core.Conversation;

namespace Bot.Core.Features.Escalation;

/// <summary>The escalation card's buttons.</summary>
[FlowIds(EscalationFlow.Key)]
public enum EscalationAction
{
    [Wire("ack")] Acknowledge,
    Join,
    Resolve,
    StartIncident,

    /// <summary>The link button to the message an escalation was raised from; a click needs no answer.</summary>
    OpenSource,
}

/// <summary>The flow's forms: raising an escalation and resolving one with an outcome.</summary>
[FlowIds(EscalationFlow.Key)]
public enum EscalationForm { Raise, Resolve }
