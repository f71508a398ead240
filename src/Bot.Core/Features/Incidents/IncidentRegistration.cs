using Bot.Core.Flows;
using Bot.Core.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Features.Incidents;

public static class IncidentRegistration
{
    public static IServiceCollection AddIncidentFlow(this IServiceCollection services)
    {
        services.AddScoped<IFlow, IncidentFlow>();
        services.AddSingleton<IReminderHandler, PostIncidentHandler>();
        services.AddSingleton<IReminderHandler, RefreshIncidentHandler>();
        services.AddSingleton<IReminderHandler, ReviewRequestHandler>();
        services.AddSingleton<IReminderHandler, WriteBackHandler>();
        services.AddSingleton<IReminderHandler, ResolveInToolHandler>();
        return services;
    }
}
