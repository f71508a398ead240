using Bot.Core.Flows;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Features.Help;

public static class HelpRegistration
{
    /// <summary>/help, generated from the features registered before it, and the router that answers anything unknown with it.</summary>
    public static IServiceCollection AddHelpFeature(this IServiceCollection services)
    {
        services.AddScoped<HelpFlow>();
        services.AddScoped<IFlow>(sp => sp.GetRequiredService<HelpFlow>());
        services.AddScoped<FlowCatalog>();
        services.AddScoped<BotRouter>();
        services.AddScoped<InstantAnswers>();
        return services;
    }
}
