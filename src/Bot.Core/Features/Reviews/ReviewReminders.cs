using Bot.Core.Cards;
using Bot.Core.Scheduling;

namespace Bot.Core.Features.Reviews;

/// <summary>The review's durable effects, one reminder each; handlers re-read the review, so one that fires after completion does nothing.</summary>
public static class ReviewReminders
{
    /// <summary>Copies the incident's, the escalation's and the incident tool's timelines into the review.</summary>
    public static readonly ReminderKind Prefill = new("review.prefill");

    /// <summary>Prompts the owner: the draft first, then nudges while required sections are empty.</summary>
    public static readonly ReminderKind<PromptArgs> Prompt = new("review.prompt");

    /// <summary>After the due window, a kind note to the team's managers offering help.</summary>
    public static readonly ReminderKind Overdue = new("review.overdue");

    /// <summary>Re-renders the draft wherever it was sent.</summary>
    public static readonly ReminderKind Refresh = new("review.refresh");

    /// <summary>Posts the completed review's summary to the team channel and the learnings channels.</summary>
    public static readonly ReminderKind Publish = new("review.publish");

    /// <summary>Tells an action item's owner about it, with buttons.</summary>
    public static readonly ReminderKind ItemAssigned = new("review.item-assigned");

    /// <summary>Re-renders an action item's message.</summary>
    public static readonly ReminderKind ItemRefresh = new("review.item-refresh");

    /// <summary>Reminds an action item's owner on its due date, then weekly while it is overdue.</summary>
    public static readonly ReminderKind<DueArgs> ItemDue = new("review.item-due");

    public enum PromptStage { Draft, Nudge }

    /// <summary>Which prompt: the draft, or a nudge <paramref name="WorkingDays"/> after the draft was sent.</summary>
    public sealed record PromptArgs(PromptStage Stage, int WorkingDays = 0);

    /// <summary>The due date a reminder is about (a pushed-back item's older reminders find it changed and do nothing).</summary>
    public sealed record DueArgs(DateOnly DueOn, int Week);

    public static CardSubject CardOf(long reviewId) => new("review", reviewId);

    public static CardSubject ItemCardOf(long itemId) => new("action-item", itemId);

    /// <summary>The draft sent to an owner, one per person it was sent to.</summary>
    public const string DraftPurpose = "draft:";
    public const string SummaryPurpose = "summary";
}
