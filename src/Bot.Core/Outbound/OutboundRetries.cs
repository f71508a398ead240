using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Bot.Core.Outbound;

public static class OutboundRetries
{
    /// <summary>
    /// The one retry policy for every platform the bot calls: up to four retries with exponential backoff and jitter,
    /// honouring Retry-After, each attempt with its own <paramref name="attemptTimeout"/>. <paramref name="retryOn"/>
    /// narrows or widens what is retried where a platform documents it (default: network failures, timeouts, 408, 429, 5xx).
    /// </summary>
    public static IHttpClientBuilder AddOutboundRetries(this IHttpClientBuilder client, string name, TimeSpan attemptTimeout,
        Func<Outcome<HttpResponseMessage>, bool>? retryOn = null)
    {
        client.AddResilienceHandler(name, pipeline =>
        {
            var retry = new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 4,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(500),
                ShouldRetryAfterHeader = true,
            };
            if (retryOn is not null) retry.ShouldHandle = args => ValueTask.FromResult(retryOn(args.Outcome));
            pipeline.AddRetry(retry);
            pipeline.AddTimeout(attemptTimeout);
        });
        return client;
    }
}
