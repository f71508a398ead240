using System.Net;
using Bot.Core;
using Bot.Core.Features.Incidents;
using Bot.Core.Outbound;
using Bot.Core.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.IncidentManager;

public static class IncidentManagerRegistration
{
    /// <summary>The <c>ssm-incidents</c> client: SigV4-signed, throttling (429) and 5xx retried with backoff, 20 s per attempt.</summary>
    public static IServiceCollection AddIncidentManager(this IServiceCollection services)
    {
        services.AddOptions<IncidentManagerOptions>().BindConfiguration(IncidentManagerOptions.Section)
            .Validate(o => o.ServiceUrl is null || (o.ServiceUrl.IsAbsoluteUri && o.ServiceUrl.AbsoluteUri.EndsWith('/')), "IncidentManager:ServiceUrl must be an absolute URL ending in /")
            .Validate(o => o.ServiceUrl is null || o.ServiceUrl.Scheme == Uri.UriSchemeHttps || o.ServiceUrl.IsLoopback, "IncidentManager:ServiceUrl must be https")
            .Validate(o => o.ReconcileInterval >= TimeSpan.FromMinutes(1) && o.ReconcileInterval.Seconds == 0 && o.ReconcileInterval.Milliseconds == 0
                && (o.ReconcileInterval < TimeSpan.FromHours(1) ? 60 % o.ReconcileInterval.Minutes == 0
                    : o.ReconcileInterval.Minutes == 0 && o.ReconcileInterval <= TimeSpan.FromDays(1) && 24 % (int)o.ReconcileInterval.TotalHours == 0),
                "IncidentManager:ReconcileInterval must be whole minutes that divide an hour (00:01:00, 00:05:00, …) or whole hours that divide a day")
            .Validate(o => o.ReconcileLookback > TimeSpan.Zero, "IncidentManager:ReconcileLookback must be positive")
            .Validate(o => o.TriggerSource.Length is > 0 and <= 50 && !o.TriggerSource.StartsWith("aws.", StringComparison.Ordinal),
                "IncidentManager:TriggerSource must be 1 to 50 characters and not start with \"aws.\"")
            .Validate(o => o.MaxBodyBytes is > 0 and <= 1024 * 1024, "IncidentManager:MaxBodyBytes must be 1 to 1048576")
            .Validate(o => o.EventBridgeSecretHeader.Length > 0, "IncidentManager:EventBridgeSecretHeader must be set")
            .Validate(o => SafeSettings.LongEnough(o.EventBridgeSecret), $"IncidentManager:EventBridgeSecret must be at least {SafeSettings.MinSecretLength} characters")
            .ValidateOnStart();
        services.AddConfigurationShapeCheck<IncidentManagerOptions>(IncidentManagerOptions.Section);
        services.AddSingleton<AwsIncidentManager>();
        services.AddSingleton<IncidentSignalIntake>();
        services.AddSingleton<IncidentReconciliation>();
        // Both do nothing until a Region is configured: no incidents can be started and the job is not scheduled.
        services.AddSingleton<IExternalIncidents>(sp => sp.GetRequiredService<AwsIncidentManager>());
        services.AddSingleton<IRecurringJob>(sp => sp.GetRequiredService<IncidentReconciliation>());
        services.TryAddSingleton<IAwsCredentialsSource, DefaultAwsCredentialsSource>();
        // The verifier caches certificates, so it lives as long as the host; its client never follows redirects.
        services.AddHttpClient(nameof(SnsMessageVerifier)).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton(sp => new SnsMessageVerifier(sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(SnsMessageVerifier)),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<IncidentManagerOptions>>()));
        services.AddSingleton<SnsVerifier>();
        services.AddSingleton<EventBridgeVerifier>();
        services.AddTransient<SigV4Handler>();
        // Each attempt has its own 20 s limit below; the client itself does not cut the retries short.
        var client = services.AddHttpClient<SsmIncidentsClient>(http => http.Timeout = Timeout.InfiniteTimeSpan);
        client.AddOutboundRetries("ssm-incidents", TimeSpan.FromSeconds(20), (outcome, _) => outcome switch
        {
            { Exception: HttpRequestException } => true,
            // A timed-out attempt is safe to repeat: the request carries the same clientToken.
            { Exception: Polly.Timeout.TimeoutRejectedException } => true,
            { Result.StatusCode: HttpStatusCode.TooManyRequests } => true,
            { Result.StatusCode: >= HttpStatusCode.InternalServerError } => true,
            _ => false,
        });
        // Innermost, so each attempt is signed with its own time.
        client.AddHttpMessageHandler<SigV4Handler>();
        return services;
    }
}
