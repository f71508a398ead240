using Bot.Core.Events;

namespace Bot.Core.Features.Reviews;

/// <summary>The team was asked for a blameless review of an incident (once per incident).</summary>
public sealed record ReviewRequested(long IncidentId) : IFeatureEvent
{
    public long SubjectId => IncidentId;
}
