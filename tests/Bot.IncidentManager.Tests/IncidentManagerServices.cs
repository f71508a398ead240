using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.IncidentManager.Tests;

/// <summary>The Incident Manager services as the host registers them, on the given settings.</summary>
internal static class IncidentManagerServices
{
    public static ServiceProvider Build(IReadOnlyDictionary<string, string?> settings, IAwsCredentialsSource? credentials = null,
        Action<IServiceCollection>? configure = null, TimeProvider? clock = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddSingleton(clock ?? TimeProvider.System);
        if (credentials is not null) services.AddSingleton(credentials);
        services.AddIncidentManager();
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }
}
