using System.Data.Common;
using Bot.Core;
using Bot.Core.Features.Incidents;
using Bot.Core.Inbound;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Bot.Host.Webhooks;

public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>The shared secret of <c>X-Signature-256</c>; the webhooks are off while it is empty.</summary>
    public string? Secret { get; set; }

    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Webhooks taken in at once by this host; more wait their turn (oldest first) rather than crowd the database, so an
    /// alert storm is answered in order instead of timing out. Beyond <see cref="QueueLimit"/> waiting, 503 with Retry-After.
    /// </summary>
    public int MaxConcurrent { get; set; } = 8;

    public int QueueLimit { get; set; } = 5000;

    public bool Enabled => !string.IsNullOrEmpty(Secret);
}

/// <summary>
/// <c>POST /webhooks/incidents</c> and <c>POST /webhooks/deployments</c> for any alerting or CI/CD tool: the raw body
/// signed with <c>Webhooks:Secret</c> (401 when the signature is missing or wrong), the documented JSON shape (400 with
/// the problems otherwise), idempotent on the source's id and status (a repeat is a 200 that changes nothing).
/// </summary>
public static class IncidentWebhookEndpoints
{
    /// <summary>The concurrency limit the webhooks share (see <see cref="WebhookOptions.MaxConcurrent"/>).</summary>
    public const string IntakePolicy = "webhook-intake";

    public static IServiceCollection AddIncidentWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section)
            .Validate(o => o.MaxBodyBytes is > 0 and <= 1024 * 1024, "Webhooks:MaxBodyBytes must be 1 to 1048576")
            .Validate(o => SafeSettings.LongEnough(o.Secret), $"Webhooks:Secret must be at least {SafeSettings.MinSecretLength} characters")
            .Validate(o => o.MaxConcurrent is > 0 and <= 256, "Webhooks:MaxConcurrent must be 1 to 256")
            .Validate(o => o.QueueLimit is >= 0 and <= 100_000, "Webhooks:QueueLimit must be 0 to 100000")
            .ValidateOnStart();
        services.AddRateLimiter(limits =>
        {
            limits.AddPolicy(IntakePolicy, http =>
            {
                var options = http.RequestServices.GetRequiredService<IOptions<WebhookOptions>>().Value;
                return RateLimitPartition.GetConcurrencyLimiter(IntakePolicy, _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = options.MaxConcurrent, QueueLimit = options.QueueLimit, QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                });
            });
            limits.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.HttpContext.Response.Headers.RetryAfter = "5";
                return ValueTask.CompletedTask;
            };
        });
        services.AddConfigurationShapeCheck<WebhookOptions>(WebhookOptions.Section);
        services.AddSingleton<WebhookSignatureVerifier>();
        return services;
    }

    public static IEndpointRouteBuilder MapIncidentWebhooks(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IOptions<WebhookOptions>>().Value.Enabled) return app;
        app.MapPost("/webhooks/incidents", IncidentAsync).WithMetadata(new VerifiedBy(typeof(WebhookSignatureVerifier))).RequireRateLimiting(IntakePolicy)
            .ExcludeFromDescription();
        app.MapPost("/webhooks/deployments", DeploymentAsync).WithMetadata(new VerifiedBy(typeof(WebhookSignatureVerifier))).RequireRateLimiting(IntakePolicy)
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> IncidentAsync(HttpContext http, BotDbContext db, TimeProvider clock, IOptions<IncidentOptions> options)
    {
        var body = VerifiedBy.Payload<ReadOnlyMemory<byte>>(http.Items);
        var parsed = IncidentWebhook.ParseIncident(body.Span, clock.GetUtcNow());
        if (!parsed.IsValid) return Problem(StatusCodes.Status400BadRequest, "The incident could not be read", parsed.Problems);
        (IntakeOutcome Outcome, Incident Incident) applied;
        try
        {
            applied = await IncidentIntake.ApplyAsync(db, parsed.Report!, clock.GetUtcNow(), CancellationToken.None, options.Value);
        }
        catch (Exception ex) when (ex is DbUpdateException or DbException)
        {
            return Busy(http);
        }
        var (outcome, incident) = applied;
        return Results.Json(new
        {
            incident = IncidentReference.Of(incident.Id),
            outcome = outcome.ToString().ToLowerInvariant(),
            status = incident.Status.ToString().ToLowerInvariant(),
            team = incident.TeamKey,
            groupedInto = incident.GroupedIntoId is { } primary ? IncidentReference.Of(primary) : null,
        }, statusCode: outcome == IntakeOutcome.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> DeploymentAsync(HttpContext http, BotDbContext db, TimeProvider clock)
    {
        var body = VerifiedBy.Payload<ReadOnlyMemory<byte>>(http.Items);
        var parsed = IncidentWebhook.ParseDeployment(body.Span);
        if (!parsed.IsValid) return Problem(StatusCodes.Status400BadRequest, "The deployment could not be read", parsed.Problems);
        bool created;
        try
        {
            created = await IncidentIntake.RecordDeploymentAsync(db, parsed.Report!, clock.GetUtcNow(), CancellationToken.None);
        }
        catch (Exception ex) when (ex is DbUpdateException or DbException)
        {
            return Busy(http);
        }
        return Results.Json(new { deployment = parsed.Report!.Id, stored = created ? "new" : "already stored" },
            statusCode: created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    /// <summary>The database could not take it right now (contention, a restart): nothing was stored, send it again.</summary>
    private static IResult Busy(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "5";
        return Problem(StatusCodes.Status503ServiceUnavailable, "The bot could not store this right now; send it again in a few seconds", []);
    }

    private static IResult Problem(int status, string title, IReadOnlyList<string> problems) =>
        Results.Problem(title: title, statusCode: status, extensions: problems.Count == 0 ? null : new Dictionary<string, object?> { ["problems"] = problems });
}

/// <summary>The generic webhooks' <c>X-Signature-256</c>: HMAC-SHA256 of the raw body with <c>Webhooks:Secret</c>, compared in fixed time.</summary>
public sealed class WebhookSignatureVerifier(IOptions<WebhookOptions> options) : IInboundVerifier
{
    public int MaxBodyBytes => options.Value.MaxBodyBytes;

    public ValueTask<InboundVerdict> VerifyAsync(InboundRequest request, CancellationToken ct) =>
        ValueTask.FromResult<InboundVerdict>(IncidentWebhook.SignatureMatches(request.Header(IncidentWebhook.SignatureHeader), request.Body.Span, options.Value.Secret)
            ? new InboundVerdict.Accepted(request.Body)
            : new InboundVerdict.Refused(StatusCodes.Status401Unauthorized,
                $"{IncidentWebhook.SignatureHeader} is missing or does not match: send sha256=<lowercase hex HMAC-SHA256 of the raw body> with the shared secret"));
}
