using Bot.Core.Features.Escalation;
using Bot.Core.Features.Help;
using Bot.Core.Features.Incidents;
using Bot.Core.Features.Reviews;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Flows;

public static class FlowRegistration
{
    /// <summary>Every flow, in the order /help lists them and commands match them. A new flow is one line here.</summary>
    public static IServiceCollection AddBotFlows(this IServiceCollection services)
    {
        services.AddEscalationFlow();
        services.AddIncidentFlow();
        services.AddReviewsFeature();

        // Help comes last: it lists the flows above and answers anything they do not know.
        services.AddScoped<HelpFlow>();
        services.AddScoped<IFlow>(sp => sp.GetRequiredService<HelpFlow>());
        services.AddScoped<FlowCatalog>();
        services.AddScoped<BotRouter>();
        services.AddScoped<InstantAnswers>();
        return services;
    }
}
