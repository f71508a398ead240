using Microsoft.AspNetCore.Http.Json;

namespace Bot.Host.Operations;

public static class Problems
{
    /// <summary>Every error answer is a ProblemDetails body; malformed requests are a 400 in every environment, never a 500.</summary>
    public static IServiceCollection AddBotProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
        services.Configure<JsonOptions>(o => o.SerializerOptions.MaxDepth = 32);
        return services;
    }
}
