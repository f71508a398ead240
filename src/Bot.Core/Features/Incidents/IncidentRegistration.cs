using Bot.Core.Directory;
using Bot.Core.Events;
using Bot.Core.Features.Escalation;
using Bot.Core.Features.Reviews;
using Bot.Core.Flows;
using Bot.Core.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Features.Incidents;

public static class IncidentRegistration
{
    public static IServiceCollection AddIncidentsFeature(this IServiceCollection services)
    {
        services.AddOptions<IncidentOptions>().BindConfiguration(IncidentOptions.Section)
            .Validate(o => o.GroupWindow >= TimeSpan.Zero && o.GroupWindow <= TimeSpan.FromDays(1), "Incidents:GroupWindow must be 00:00:00 (off) to 1.00:00:00")
            .ValidateOnStart();
        services.AddConfigurationShapeCheck<IncidentOptions>(IncidentOptions.Section);
        services.AddTeamSettings<IncidentTeamSettings>(IncidentTeamSettings.Section, nameof(IncidentTeamSettings.ResponsePlanArn));
        services.AddScoped<IFlow, IncidentFlow>();
        services.AddSingleton<IReminderHandler, PostIncidentHandler>();
        services.AddSingleton<IReminderHandler, RefreshIncidentHandler>();
        services.AddSingleton<IReminderHandler, WriteBackHandler>();
        services.AddSingleton<IReminderHandler, ResolveInToolHandler>();
        services.AddSingleton<IReminderHandler, LinkInToolHandler>();
        services.AddEventSubscriber<ReviewRequested, RecordReviewRequested>("incidents.record-review-requested");
        services.AddEventSubscriber<ReviewCompleted, RecordReviewCompleted>("incidents.record-review-completed");
        services.AddEventSubscriber<ReviewOffered, RecordReviewOffered>("incidents.record-review-offered");
        services.AddSingleton<IncidentTimelines>();
        services.AddEventSubscriber<EscalationResolved, FollowEscalationResolved>("incidents.follow-escalation-resolved");
        services.AddEventSubscriber<EscalationAcknowledged, FollowEscalationAcknowledged>("incidents.follow-escalation-acknowledged");
        services.AddEventSubscriber<EscalationReescalated, FollowEscalationReescalated>("incidents.follow-escalation-reescalated");
        services.AddEventSubscriber<IncidentRequested, StartRequestedIncident>("incidents.start-requested");
        services.AddSingleton<IncidentStarts>();
        return services;
    }
}
