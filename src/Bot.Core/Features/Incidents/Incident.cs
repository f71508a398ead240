using Bot.Core.Storage;

namespace Bot.Core.Features.Incidents;

public enum IncidentStatus { Open, Resolved }

public enum IncidentEventKind { Opened, Updated, Resolved, Reopened, LinkedDeployment, Acknowledged, ReviewRequested, Note, ReviewCompleted }

/// <summary>A link shown with an incident (the console, a dashboard, the review).</summary>
public sealed record IncidentLink(string Title, string Url);

/// <summary>
/// An incident, whichever tool reported it: its source (<c>aws-incident-manager</c>, <c>webhook</c>, …) and id there,
/// impact 1 (critical) to 5 (no impact), status, service and owning team, times, timeline and links.
/// </summary>
public sealed class Incident : IVersioned
{
    public long Id { get; set; }
    public string Source { get; set; } = "";
    public string ExternalId { get; set; } = "";
    public string Title { get; set; } = "";
    public int Impact { get; set; } = 3;
    public IncidentStatus Status { get; set; }
    public string? ServiceKey { get; set; }
    public string? TeamKey { get; set; }
    public string? Url { get; set; }
    public string? DeploymentId { get; set; }

    /// <summary>The escalation the incident was started from in chat, if any (the escalation links back).</summary>
    public long? EscalationId { get; set; }

    /// <summary>
    /// The incident this one was grouped into as a related alert (an alert storm on one service): it has no card of its
    /// own and sets off no review; the primary's card counts it. Null for every incident with a card.
    /// </summary>
    public long? GroupedIntoId { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
    public string? AcknowledgedBy { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>When resolving asked the team for a post-incident review (once per incident, however often it is resolved).</summary>
    public DateTimeOffset? ReviewRequestedAt { get; set; }

    /// <summary>When a review was offered rather than started (a mild incident): the card then has "Start a review".</summary>
    public DateTimeOffset? ReviewOfferedAt { get; set; }

    /// <summary>The post-incident review of this incident, once one is started, and when it was completed.</summary>
    public long? ReviewId { get; set; }
    public DateTimeOffset? ReviewCompletedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>How recent the newest report applied is (the source's own time when it gives one): older reports are stale.</summary>
    public DateTimeOffset LastReportedAt { get; set; }
    public List<IncidentLink> Links { get; set; } = [];
    public List<IncidentEvent> Timeline { get; set; } = [];
    public int Version { get; set; }

    public void Record(DateTimeOffset at, IncidentEventKind kind, string actor, string text) =>
        Timeline.Add(new IncidentEvent { At = at, Kind = kind, Actor = actor, Text = text });
}

public sealed class IncidentEvent
{
    public long Id { get; set; }
    public long IncidentId { get; set; }
    public DateTimeOffset At { get; set; }
    public IncidentEventKind Kind { get; set; }
    public string Actor { get; set; } = "";
    public string Text { get; set; } = "";
}

/// <summary>A deployment a CI/CD tool reported; incidents may point at the one that caused them (change failure rate).</summary>
public sealed class Deployment
{
    public string Id { get; set; } = "";
    public string Service { get; set; } = "";
    public string? ServiceKey { get; set; }
    public string Version { get; set; } = "";
    public DateTimeOffset DeployedAt { get; set; }
    public string Outcome { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
}
