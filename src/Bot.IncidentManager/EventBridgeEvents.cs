using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Core.Conversation;
using Bot.Core.Inbound;

namespace Bot.IncidentManager;

public enum IncidentSignalKind { Opened, Updated, Resolved, TimelineEvent }

/// <summary>Something happened to an Incident Manager incident; the record itself is read with GetIncidentRecord.</summary>
public sealed record IncidentSignal(IncidentSignalKind Kind, string IncidentArn, string DeliveryId, DateTimeOffset? At);

public enum EventBridgeOutcome { Signal, Ignored, Malformed }

public sealed record EventBridgeParse(EventBridgeOutcome Outcome, IncidentSignal? Signal, string? Why = null);

/// <summary>
/// Events an EventBridge rule forwards through an API destination: CloudTrail-delivered <c>aws.ssm-incidents</c>
/// API calls (Incident Manager emits no events of its own). StartIncident opens, UpdateIncidentRecord with status
/// RESOLVED resolves, other updates and CreateTimelineEvent update; anything else is acknowledged and ignored.
/// </summary>
public static class EventBridgeEvents
{
    // The global partition spells it "AWS API Call via CloudTrail"; the China documentation prints "Amazon".
    private static readonly HashSet<string> CloudTrailDetailTypes = ["AWS API Call via CloudTrail", "Amazon API Call via CloudTrail"];

    /// <summary>The API destination's shared secret, compared in fixed time (lengths are not leaked either).</summary>
    public static bool SecretMatches(string? presented, string? expected) =>
        presented is not null && !string.IsNullOrEmpty(expected)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    public static EventBridgeParse Parse(ReadOnlySpan<byte> body)
    {
        if (InboundBody.ParseObject(body) is not { } e) return new EventBridgeParse(EventBridgeOutcome.Malformed, null, "not a JSON object");
        if (Str(e, "id") is not { } id || e["detail"] is not JsonObject detail) return new EventBridgeParse(EventBridgeOutcome.Malformed, null, "not an EventBridge event");
        if (Str(e, "source") != "aws.ssm-incidents" || !CloudTrailDetailTypes.Contains(Str(e, "detail-type") ?? ""))
            return new EventBridgeParse(EventBridgeOutcome.Ignored, null, "not an Incident Manager API call");
        if (detail["errorCode"] is not null) return new EventBridgeParse(EventBridgeOutcome.Ignored, null, "the call failed");

        var request = detail["requestParameters"] as JsonObject;
        var response = detail["responseElements"] as JsonObject;
        DateTimeOffset? at = DateTimeOffset.TryParse(Str(detail, "eventTime") ?? Str(e, "time"), System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : null;
        (IncidentSignalKind Kind, string? Arn)? signal = Str(detail, "eventName") switch
        {
            "StartIncident" => (IncidentSignalKind.Opened, Str(response, "incidentRecordArn")),
            "UpdateIncidentRecord" when Str(request, "status") == "RESOLVED" => (IncidentSignalKind.Resolved, Str(request, "arn")),
            "UpdateIncidentRecord" => (IncidentSignalKind.Updated, Str(request, "arn")),
            "CreateTimelineEvent" => (IncidentSignalKind.TimelineEvent, Str(request, "incidentRecordArn")),
            _ => null,
        };
        if (signal is null) return new EventBridgeParse(EventBridgeOutcome.Ignored, null, "an API call the bot does not follow");
        if (signal.Value.Arn is not { } arn || !arn.StartsWith("arn:", StringComparison.Ordinal))
            return new EventBridgeParse(EventBridgeOutcome.Malformed, null, "no incident ARN in the call");
        return new EventBridgeParse(EventBridgeOutcome.Signal, new IncidentSignal(signal.Value.Kind, arn, id, at));
    }

    private static string? Str(JsonObject? node, string name) => node?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
