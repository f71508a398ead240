using Bot.Core;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Outbound;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Channels.Teams;

public static class TeamsRegistration
{
    /// <summary>
    /// The Teams channel. Like Slack, its services are always registered (a reminder for a Teams conversation fails
    /// visibly rather than vanishes when the settings are missing); <c>/api/messages</c> is mapped only when configured.
    /// </summary>
    public static IServiceCollection AddTeams(this IServiceCollection services)
    {
        // Directory:People:N:TeamsAadObjectId names the person's teams identity, as Identities:teams does.
        services.AddIdentityAlias("TeamsAadObjectId", TeamsChannel.ChannelKind);
        services.AddOptions<TeamsOptions>().BindConfiguration(TeamsOptions.Section)
            .Validate(o => string.IsNullOrWhiteSpace(o.AppId) == string.IsNullOrWhiteSpace(o.AppPassword), "Teams:AppId and Teams:AppPassword must be set together")
            .Validate(o => string.IsNullOrWhiteSpace(o.AppId) || o.Tenants.Count > 0 || o.AllowAnyTenant,
                "Teams:AllowedTenants (or Teams:TenantId) must name the tenants the bot serves; for a multi-tenant app serving any organisation, set Teams:AllowAnyTenant=true")
            .Validate(o => o.MaxBodyBytes > 0, "Teams:MaxBodyBytes must be positive")
            .Validate(o => o.WorkQueueCapacity > 0, "Teams:WorkQueueCapacity must be positive")
            .Validate(o => o.Workers is > 0 and <= 64, "Teams:Workers must be 1 to 64")
            .ValidateOnStart();
        services.AddConfigurationShapeCheck<TeamsOptions>(TeamsOptions.Section);
        // Both keep a cache (signing keys, the bot token), so they live as long as the host, each on a named client.
        services.AddHttpClient(nameof(BotFrameworkTokenValidator));
        services.AddSingleton(sp => new BotFrameworkTokenValidator(sp.GetRequiredService<IOptions<TeamsOptions>>(),
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(BotFrameworkTokenValidator)), sp.GetRequiredService<TimeProvider>()));
        services.AddHttpClient(nameof(ClientCredentialsTokenProvider));
        services.AddSingleton<IBotTokenProvider>(sp => new ClientCredentialsTokenProvider(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(ClientCredentialsTokenProvider)),
            sp.GetRequiredService<IOptions<TeamsOptions>>(), sp.GetRequiredService<TimeProvider>()));
        // Failures are logged where they are handled; per-request HttpClient logs would cost more than the call on a busy bot.
        // Teams asks for retries on 412, 429, 502, 503 and 504; not on 500.
        services.AddHttpClient<ConnectorClient>().RemoveAllLoggers().AddOutboundRetries("teams", TimeSpan.FromSeconds(15), (outcome, _) => outcome switch
        {
            { Exception: HttpRequestException } => true,
            { Result.StatusCode: System.Net.HttpStatusCode.PreconditionFailed or System.Net.HttpStatusCode.TooManyRequests
                or System.Net.HttpStatusCode.BadGateway or System.Net.HttpStatusCode.ServiceUnavailable or System.Net.HttpStatusCode.GatewayTimeout } => true,
            _ => false,
        });
        services.AddSingleton<TeamsCardSeal>();
        services.AddSingleton<TeamsVerifier>();
        services.AddSingleton<TeamsAddresses>();
        services.AddSingleton<TeamsChannel>();
        services.AddSingleton<IChatChannel>(sp => sp.GetRequiredService<TeamsChannel>());
        services.AddChannelWorkQueue<TeamsOptions>();
        services.AddScoped<TeamsTurns>();
        services.AddSingleton<TeamsQuickAnswers>();
        services.AddScoped<TeamsIdentity>();
        return services;
    }
}
