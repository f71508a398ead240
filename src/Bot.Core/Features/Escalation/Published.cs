using System.Globalization;
using Bot.Core.Events;

namespace Bot.Core.Features.Escalation;

/// <summary>An escalation was resolved in chat, with its one-line outcome; <paramref name="IncidentId"/> when an incident was started from it.</summary>
public sealed record EscalationResolved(long EscalationId, string TeamKey, long? IncidentId, string ResolvedBy, string Outcome) : IFeatureEvent
{
    public long SubjectId => EscalationId;
}

/// <summary>Someone took the escalation in chat.</summary>
public sealed record EscalationAcknowledged(long EscalationId, string TeamKey, long? IncidentId, string By, DateTimeOffset At) : IFeatureEvent
{
    public long SubjectId => EscalationId;
}

/// <summary>Nobody acknowledged in time, so the next level of the team's path was asked.</summary>
public sealed record EscalationReescalated(long EscalationId, long? IncidentId, string LevelName, string Waited) : IFeatureEvent
{
    public long SubjectId => EscalationId;
}

/// <summary>
/// Someone asked, from an escalation, for an incident in the team's incident tool. <paramref name="RequestedBy"/> is
/// their user id in <paramref name="Channel"/>; the answer (<c>IncidentStarted</c> or <c>IncidentStartRefused</c>) names the escalation.
/// </summary>
public sealed record IncidentRequested(
    long EscalationId, string TeamKey, string? ServiceKey, string Title, int Impact, string Summary, string LinkTitle, string? LinkUrl,
    DateTimeOffset RaisedAt, string Channel, string RequestedBy) : IFeatureEvent
{
    public long SubjectId => EscalationId;
}

[Published]
public static class EscalationReference
{
    /// <summary>How people write an escalation: <c>#12</c>.</summary>
    public static string Of(long id) => "#" + id.ToString(CultureInfo.InvariantCulture);
}
