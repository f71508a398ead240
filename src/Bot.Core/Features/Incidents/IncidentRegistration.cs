using Bot.Core.Directory;
using Bot.Core.Flows;
using Bot.Core.Events;
using Bot.Core.Features.Escalation;
using Bot.Core.Features.Reviews;
using Bot.Core.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Features.Incidents;

public static class IncidentRegistration
{
    public static IServiceCollection AddIncidentFlow(this IServiceCollection services)
    {
        services.AddTeamSettings<IncidentTeamSettings>(IncidentTeamSettings.Section, nameof(IncidentTeamSettings.ResponsePlanArn));
        services.AddScoped<IFlow, IncidentFlow>();
        services.AddSingleton<IReminderHandler, PostIncidentHandler>();
        services.AddSingleton<IReminderHandler, RefreshIncidentHandler>();
        services.AddSingleton<IReminderHandler, WriteBackHandler>();
        services.AddSingleton<IReminderHandler, ResolveInToolHandler>();
        services.AddEventSubscriber<ReviewRequested, RecordReviewRequested>("incidents.record-review-requested");
        services.AddEventSubscriber<EscalationResolved, FollowEscalationResolved>("incidents.follow-escalation-resolved");
        return services;
    }
}
