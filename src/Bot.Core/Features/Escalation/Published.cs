using Bot.Core.Events;

namespace Bot.Core.Features.Escalation;

/// <summary>An escalation was resolved in chat, with its one-line outcome; <paramref name="IncidentId"/> when an incident was started from it.</summary>
public sealed record EscalationResolved(long EscalationId, string TeamKey, long? IncidentId, string ResolvedBy, string Outcome) : IFeatureEvent
{
    public long SubjectId => EscalationId;
}
