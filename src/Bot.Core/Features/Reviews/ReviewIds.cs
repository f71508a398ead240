using Bot.Core.Conversation;

namespace Bot.Core.Features.Reviews;

/// <summary>The buttons of a review's draft, its action items, and the ones other features put on their cards (<see cref="ReviewButtons"/>).</summary>
[FlowIds(ReviewFlow.Key)]
public enum ReviewAction
{
    /// <summary>A section's button, qualified by the section's key (<c>review.edit.timeline</c>: ids are unique within a message).</summary>
    Edit,
    Complete,
    Snooze,
    HandOver,
    Export,

    /// <summary>A link button to a download; a click needs no answer.</summary>
    Download,

    /// <summary>"Open the review"; the value is the review id.</summary>
    Show,
    ItemDone,
    [Wire("item-push")] ItemPushBack,
    ItemDecline,

    /// <summary>"Start a review" for an incident; the value is the incident id.</summary>
    [Wire("start-incident")] StartForIncident,
}

/// <summary>The flow's forms: a section, an action item, handing over, and declining an action item.</summary>
[FlowIds(ReviewFlow.Key)]
public enum ReviewForm { Section, [Wire("action")] ActionItem, HandOver, Decline }
