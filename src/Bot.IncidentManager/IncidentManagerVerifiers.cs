using Bot.Core.Inbound;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.IncidentManager;

/// <summary>An SNS message: signature verified (certificates only from AWS SNS hosts), topic allow-listed; the payload is the <see cref="SnsMessage"/>.</summary>
public sealed partial class SnsVerifier(SnsMessageVerifier verifier, IOptions<IncidentManagerOptions> options, ILogger<SnsVerifier> logger) : IInboundVerifier
{
    public int MaxBodyBytes => options.Value.MaxBodyBytes;

    public async ValueTask<InboundVerdict> VerifyAsync(InboundRequest request, CancellationToken ct)
    {
        var check = await verifier.VerifyAsync(request.Body, ct);
        if (check.Valid) return new InboundVerdict.Accepted(check.Message!);
        LogRefused(logger, check.Reason ?? "");
        return check.Reason switch
        {
            "not an SNS message" or "unknown message type" => new InboundVerdict.Refused(StatusCodes.Status400BadRequest, "Not an SNS message: " + check.Reason),
            "topic not configured" => new InboundVerdict.Refused(StatusCodes.Status403Forbidden, "The topic is not in IncidentManager:SnsTopicArns"),
            // Our side could not check it (the certificate host did not answer): SNS retries what is not a 4xx.
            "certificate could not be fetched" => new InboundVerdict.Refused(StatusCodes.Status503ServiceUnavailable,
                "The signing certificate could not be fetched; send it again later"),
            _ => new InboundVerdict.Refused(StatusCodes.Status401Unauthorized, "The SNS signature could not be verified: " + check.Reason),
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SNS delivery refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}

/// <summary>An EventBridge API destination's call: the shared secret header compared in fixed time; the payload is the parsed event.</summary>
public sealed partial class EventBridgeVerifier(IOptions<IncidentManagerOptions> options, ILogger<EventBridgeVerifier> logger) : IInboundVerifier
{
    public int MaxBodyBytes => options.Value.MaxBodyBytes;

    public ValueTask<InboundVerdict> VerifyAsync(InboundRequest request, CancellationToken ct)
    {
        var o = options.Value;
        if (!EventBridgeEvents.SecretMatches(request.Header(o.EventBridgeSecretHeader), o.EventBridgeSecret))
        {
            LogRefused(logger, "wrong or missing secret");
            return ValueTask.FromResult<InboundVerdict>(new InboundVerdict.Refused(StatusCodes.Status401Unauthorized, $"{o.EventBridgeSecretHeader} is missing or wrong"));
        }
        var parsed = EventBridgeEvents.Parse(request.Body.Span);
        return ValueTask.FromResult<InboundVerdict>(parsed.Outcome == EventBridgeOutcome.Malformed
            ? new InboundVerdict.Refused(StatusCodes.Status400BadRequest, "Not an EventBridge event the bot can read: " + parsed.Why)
            : new InboundVerdict.Accepted(parsed));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "EventBridge delivery refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}
