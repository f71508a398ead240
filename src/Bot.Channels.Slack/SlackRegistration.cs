using Bot.Core;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Outbound;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Channels.Slack;

public static class SlackRegistration
{
    /// <summary>
    /// The Slack channel. Its services are always registered (so reminders of a Slack conversation fail visibly
    /// rather than vanish when the secrets are missing); its endpoints are mapped only when both secrets are set.
    /// </summary>
    public static IServiceCollection AddSlack(this IServiceCollection services)
    {
        // Directory:People:N:SlackUserId names the person's slack identity, as Identities:slack does.
        services.AddIdentityAlias("SlackUserId", SlackChannel.ChannelKind);
        services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.Section)
            .Validate(o => o.ApiBaseUrl.IsAbsoluteUri && o.ApiBaseUrl.AbsoluteUri.EndsWith('/'), "Slack:ApiBaseUrl must be an absolute URL ending in /")
            .Validate(o => SafeSettings.SecureOrLoopback(o.ApiBaseUrl), "Slack:ApiBaseUrl must be https: the bot token is sent there (http only to this machine, for tests)")
            .Validate(o => SafeSettings.LongEnough(o.SigningSecret), $"Slack:SigningSecret must be at least {SafeSettings.MinSecretLength} characters (Slack's are 32)")
            .Validate(o => o.SignatureWindow > TimeSpan.Zero, "Slack:SignatureWindow must be positive")
            .Validate(o => o.MaxBodyBytes > 0, "Slack:MaxBodyBytes must be positive")
            .Validate(o => o.WorkQueueCapacity > 0, "Slack:WorkQueueCapacity must be positive")
            .Validate(o => o.Workers is > 0 and <= 64, "Slack:Workers must be 1 to 64")
            .Validate(o => string.IsNullOrWhiteSpace(o.BotToken) == (string.IsNullOrWhiteSpace(o.SigningSecret) && !o.SocketMode),
                "Slack:BotToken needs a way in, and a way in needs Slack:BotToken: set it with Slack:SigningSecret (HTTP) or Slack:AppToken (Socket Mode)")
            .Validate(o => !o.SocketMode || o.AppToken!.StartsWith("xapp-", StringComparison.Ordinal),
                "Slack:AppToken must be an app-level token (xapp-…) with the connections:write scope")
            .Validate(o => o.SocketConnections is >= 1 and <= 10, "Slack:SocketConnections must be 1 to 10 (Slack allows 10)")
            .Validate(o => o.SocketReconnectMaxDelay >= TimeSpan.FromSeconds(1), "Slack:SocketReconnectMaxDelay must be at least a second")
            .ValidateOnStart();
        services.AddConfigurationShapeCheck<SlackOptions>(SlackOptions.Section);

        services.AddSingleton<SlackChannelPacer>();
        services.AddSingleton<SlackWorkspace>();
        services.AddHttpClient<SlackApiClient>()
            // 429 with Retry-After, 5xx and network failures: retried with backoff, bounded. A post that timed out or lost
            // its connection may have gone through: it is not sent again here, but given back to its caller, which
            // looks for it by its metadata before sending it again.
            .AddOutboundRetries("slack", TimeSpan.FromSeconds(10), SlackApiClient.ShouldRetry);
        services.AddSingleton<SlackVerifier>();
        services.AddSingleton<SlackChannel>();
        services.AddSingleton<IChatChannel>(sp => sp.GetRequiredService<SlackChannel>());
        services.AddChannelWorkQueue<SlackOptions>();
        services.AddScoped<SlackAppHome>();
        services.AddScoped<SlackIdentity>();
        // After the work queue, so it stops first on shutdown: no envelope is taken that the queue would not run.
        services.AddSingleton<SlackSocketMode>();
        services.AddHostedService(sp => sp.GetRequiredService<SlackSocketMode>());
        services.AddSingleton<IDrainOnShutdown>(sp => sp.GetRequiredService<SlackSocketMode>());
        return services;
    }
}
