using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Bot.Core.Outbound;

public static class OutboundRetries
{
    private const int MaxRetries = 4;

    /// <summary>
    /// The one retry policy for every platform the bot calls: up to four retries with exponential backoff and jitter,
    /// honouring Retry-After, each attempt with its own <paramref name="attemptTimeout"/>, all of them within
    /// <see cref="Budget"/>. The client's own timeout is off, so a wait Slack or Teams asked for is never cut short by
    /// it into an error nobody handles. <paramref name="retryOn"/> narrows or widens what is retried where a platform
    /// documents it (default: network failures, timeouts, 408, 429, 5xx); it sees the request, so a post that may have
    /// gone through is not blindly sent again.
    /// </summary>
    public static IHttpClientBuilder AddOutboundRetries(this IHttpClientBuilder client, string name, TimeSpan attemptTimeout,
        Func<Outcome<HttpResponseMessage>, HttpRequestMessage?, bool>? retryOn = null)
    {
        client.ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan);
        client.AddResilienceHandler(name, pipeline =>
        {
            var retry = new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(500),
                ShouldRetryAfterHeader = true,
            };
            if (retryOn is not null) retry.ShouldHandle = args => ValueTask.FromResult(retryOn(args.Outcome, args.Context.GetRequestMessage()));
            pipeline.AddTimeout(Budget(attemptTimeout));
            pipeline.AddRetry(retry);
            pipeline.AddTimeout(attemptTimeout);
        });
        return client;
    }

    /// <summary>The longest one call may take, retries and their waits included.</summary>
    public static TimeSpan Budget(TimeSpan attemptTimeout) => attemptTimeout * (MaxRetries + 1) + TimeSpan.FromMinutes(1);
}
