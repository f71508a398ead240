namespace Bot.Core.Scheduling;

public enum ReminderStatus { Pending, Claimed, Done, Cancelled, Failed }

/// <summary>
/// Something that must happen once at or after <see cref="DueAt"/>: a chat post that must not be lost, a re-escalation,
/// a prompt. Flows write reminders in the same save as the state change that needs them; a scheduler job only
/// claims and performs them, so a job that runs twice finds the reminder done.
/// </summary>
public sealed class Reminder
{
    public long Id { get; set; }

    /// <summary>Which <see cref="IReminderHandler"/> performs it, e.g. "escalation.ack-timeout".</summary>
    public string Kind { get; set; } = "";

    /// <summary>The record it is about (an escalation id, a review id).</summary>
    public long SubjectId { get; set; }

    /// <summary>A handler-specific argument, e.g. the person to page.</summary>
    public string? Argument { get; set; }

    /// <summary>Unique when set: scheduling the same thing twice keeps one reminder.</summary>
    public string? DedupeKey { get; set; }

    /// <summary>The event this reminder delivers to one subscriber, when it is a delivery.</summary>
    public long? EventId { get; set; }
    public Events.FeatureEvent? Event { get; set; }

    public DateTimeOffset DueAt { get; set; }
    public ReminderStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}
