using Bot.Core.Features.Digests;
using Bot.Core.Features.Escalation;
using Bot.Core.Features.Experiments;
using Bot.Core.Features.Help;
using Bot.Core.Features.Incidents;
using Bot.Core.Features.Reviews;
using Bot.Core.Flows;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Features;

public static class FeatureList
{
    /// <summary>Every feature, in the order /help lists their commands and commands match them. A new feature is one line here.</summary>
    public static IServiceCollection AddBotFeatures(this IServiceCollection services)
    {
        services.AddEscalationFeature();
        services.AddIncidentsFeature();
        services.AddReviewsFeature();
        services.AddExperimentsFeature();
        services.AddDigestsFeature();

        // Help comes last: it lists the flows above and answers anything they do not know.
        services.AddHelpFeature();
        return services;
    }
}
