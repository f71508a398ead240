using Bot.Core.Conversation;
using Bot.Core.Storage;

namespace Bot.Core.Features.Escalation;

public enum CustomerImpact { AffectedNow, Degraded, AtRisk, InternalOnly }

public enum Urgency { Now, WithinHour, Today }

public enum EscalationStatus { Open, Acknowledged, Resolved }

/// <summary>A request for help, from raising to resolution, with every step in its timeline.</summary>
public sealed class Escalation : IVersioned
{
    public int Version { get; set; }

    public long Id { get; set; }
    public string Summary { get; set; } = "";
    public string? ServiceKey { get; set; }
    public string TeamKey { get; set; } = "";
    public CustomerImpact Impact { get; set; }
    public Urgency Urgency { get; set; }
    public string? Tried { get; set; }

    /// <summary>The message the escalation was raised from ("Escalate this message"): a link to it, and its thread (the channel's address form).</summary>
    public string? SourceUrl { get; set; }
    public string? SourceThread { get; set; }

    /// <summary>The channel kind it was raised in; its posts and pages go through that channel.</summary>
    public string Channel { get; set; } = "";
    public string RaisedInConversation { get; set; } = "";
    public string RaisedByUserId { get; set; } = "";
    public string RaisedByName { get; set; } = "";
    public string? RaisedByKey { get; set; }
    public DateTimeOffset RaisedAt { get; set; }

    public EscalationStatus Status { get; set; }

    /// <summary>Index into the team's escalation path that has been notified last.</summary>
    public int Level { get; set; }
    public DateTimeOffset? LastEscalatedAt { get; set; }

    public string? AcknowledgedByName { get; set; }
    public string? AcknowledgedByKey { get; set; }
    public DateTimeOffset? AcknowledgedAt { get; set; }

    public string? ResolvedByName { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public string? Outcome { get; set; }
    public EscalationOutcome? OutcomeKind { get; set; }

    public List<string> Responders { get; set; } = [];

    /// <summary>The incident started from this escalation, if any (the incident links back).</summary>
    public long? IncidentId { get; set; }

    /// <summary>When someone asked for an incident that has not started yet; cleared when the tool refused.</summary>
    public DateTimeOffset? IncidentRequestedAt { get; set; }

    public List<EscalationEvent> Timeline { get; set; } = [];

    public void Record(DateTimeOffset at, EscalationEventKind kind, string actor, string text) =>
        Timeline.Add(new EscalationEvent { At = at, Kind = kind, Actor = actor, Text = text });
}

public enum EscalationEventKind { Raised, Posted, Paged, PageFailed, Acknowledged, Joined, Reescalated, Exhausted, Resolved, IncidentStarted }

public sealed class EscalationEvent
{
    public long Id { get; set; }
    public long EscalationId { get; set; }
    public DateTimeOffset At { get; set; }
    public EscalationEventKind Kind { get; set; }
    public string Actor { get; set; } = "";
    public string Text { get; set; } = "";
}
