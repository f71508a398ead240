using System.Text.RegularExpressions;
using Bot.Core.Features.Incidents;
using Bot.Core.Inbound;
using Bot.Core.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.IncidentManager;

/// <summary>
/// The two push paths from Incident Manager, both best-effort (the reconciliation is the backstop):
/// <c>POST /webhooks/incident-manager/sns</c> (an SNS HTTPS subscription, signature verified, topics allow-listed,
/// deduplicated on MessageId) and <c>POST /webhooks/incident-manager/eventbridge</c> (an API destination carrying
/// CloudTrail-delivered calls, authenticated by a shared secret, deduplicated on the event id). Either way the record
/// itself is read with GetIncidentRecord and goes through the intake, so all paths meet in one stream.
/// </summary>
public static partial class IncidentManagerEndpoints
{
    public const string SnsPath = "/webhooks/incident-manager/sns";
    public const string EventBridgePath = "/webhooks/incident-manager/eventbridge";

    public static IEndpointRouteBuilder MapIncidentManager(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<IncidentManagerOptions>>().Value;
        if (options.SnsEnabled) app.MapPost(SnsPath, SnsAsync).WithMetadata(new VerifiedBy(typeof(SnsVerifier))).ExcludeFromDescription();
        if (options.EventBridgeEnabled) app.MapPost(EventBridgePath, EventBridgeAsync).WithMetadata(new VerifiedBy(typeof(EventBridgeVerifier))).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> SnsAsync(HttpContext http, IHttpClientFactory clients, DeliveryClaims claims, IncidentSignalIntake intake,
        ILoggerFactory logs)
    {
        var logger = logs.CreateLogger(typeof(IncidentManagerEndpoints));
        var message = VerifiedBy.Payload<SnsMessage>(http.Items);
        switch (message.Type)
        {
            case SnsMessage.SubscriptionConfirmation:
                // The verifier checked the subscribe URL's host already; visiting it confirms the subscription.
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
                    timeout.CancelAfter(TimeSpan.FromSeconds(10));
                    using var response = await clients.CreateClient(nameof(SnsMessageVerifier)).GetAsync(message.SubscribeUrl, timeout.Token);
                    response.EnsureSuccessStatusCode();
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
                {
                    LogConfirmFailed(logger, message.TopicArn, ex.Message);
                    return Problem(StatusCodes.Status502BadGateway, "The subscription could not be confirmed with SNS; SNS will send the confirmation again.");
                }
                LogSubscribed(logger, message.TopicArn);
                return Results.Ok(new { subscribed = message.TopicArn });
            case SnsMessage.UnsubscribeConfirmation:
                LogUnsubscribed(logger, message.TopicArn);
                return Results.Ok(new { unsubscribed = message.TopicArn });
        }

        var arn = IncidentArn().Match(message.Message) is { Success: true } m ? m.Value : null;
        if (arn is null)
        {
            LogNoArn(logger, message.MessageId);
            return Results.Ok(new { ignored = "no incident record ARN in the message" });
        }
        return await ApplyOnceAsync(claims, intake, "incident-manager-sns", message.MessageId, arn, logger);
    }

    private static async Task<IResult> EventBridgeAsync(HttpContext http, DeliveryClaims claims, IncidentSignalIntake intake, ILoggerFactory logs)
    {
        var logger = logs.CreateLogger(typeof(IncidentManagerEndpoints));
        var parsed = VerifiedBy.Payload<EventBridgeParse>(http.Items);
        if (parsed.Outcome == EventBridgeOutcome.Ignored) return Results.Ok(new { ignored = parsed.Why });
        var signal = parsed.Signal!;
        return await ApplyOnceAsync(claims, intake, "incident-manager-eventbridge", signal.DeliveryId, signal.IncidentArn, logger);
    }

    /// <summary>Claims the delivery, reads the record and applies it; a failure gives the claim back and asks the sender to retry (503).</summary>
    private static async Task<IResult> ApplyOnceAsync(DeliveryClaims claims, IncidentSignalIntake intake, string source, string deliveryId, string arn, ILogger logger)
    {
        if (!await claims.TryClaimAsync(source, deliveryId, CancellationToken.None)) return Results.Ok(new { duplicate = deliveryId });
        try
        {
            var (outcome, incident) = await intake.ApplyAsync(arn, CancellationToken.None);
            return Results.Ok(new { incident = IncidentReference.Of(incident.Id), outcome = outcome.ToString().ToLowerInvariant() });
        }
        catch (IncidentToolRefusedException ex)
        {
            // Not found, no permission: repeating the delivery cannot help. Logged for whoever runs the bot.
            LogUnreadable(logger, arn, ex.Message);
            return Results.Ok(new { ignored = ex.Message });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex, arn);
            await claims.ReleaseAsync(source, deliveryId, CancellationToken.None);
            return Problem(StatusCodes.Status503ServiceUnavailable, "The incident could not be read from Incident Manager right now; send it again later.");
        }
    }

    private static IResult Problem(int status, string title) => Results.Problem(title: title, statusCode: status);

    [GeneratedRegex(@"arn:aws[a-z-]*:ssm-incidents::[0-9]{12}:incident-record/[A-Za-z0-9_.\-]+/[A-Za-z0-9\-]+")]
    private static partial Regex IncidentArn();

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscribed to SNS topic {Topic}")]
    private static partial void LogSubscribed(ILogger logger, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unsubscribed from SNS topic {Topic}")]
    private static partial void LogUnsubscribed(ILogger logger, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not confirm the SNS subscription to {Topic}: {Reason}")]
    private static partial void LogConfirmFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "SNS message {MessageId} names no incident record; ignored")]
    private static partial void LogNoArn(ILogger logger, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Incident {Arn} could not be read: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string arn, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Incident {Arn} could not be applied; the sender will retry")]
    private static partial void LogFailed(ILogger logger, Exception ex, string arn);
}

/// <summary>One incident ARN, read from Incident Manager and applied through the intake on a context of its own.</summary>
public sealed class IncidentSignalIntake(AwsIncidentManager aws, IServiceScopeFactory scopes, IOptions<IncidentOptions> options, TimeProvider clock)
{
    public async Task<(IntakeOutcome, Incident)> ApplyAsync(string arn, CancellationToken ct) =>
        await ApplyAsync(await aws.ReadAsync(arn, ct), ct);

    public async Task<(IntakeOutcome, Incident)> ApplyAsync(IncidentReport report, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await IncidentIntake.ApplyAsync(scope.ServiceProvider.GetRequiredService<BotDbContext>(), report, clock.GetUtcNow(), ct, options.Value);
    }
}
