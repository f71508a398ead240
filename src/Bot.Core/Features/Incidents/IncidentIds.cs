using Bot.Core.Conversation;

namespace Bot.Core.Features.Incidents;

/// <summary>The incident card's buttons.</summary>
[FlowIds(IncidentFlow.Key)]
public enum IncidentAction
{
    [Wire("ack")] OnIt,
    LinkDeployment,
    SplitOut,

    /// <summary>An "Open in console" link button; a click needs no answer.</summary>
    Open,
}

/// <summary>The flow's form: which deployment to link.</summary>
[FlowIds(IncidentFlow.Key)]
public enum IncidentForm { LinkDeployment }
