using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Core.Conversation;
using Bot.Core.Inbound;

namespace Bot.Core.Features.Incidents;

public enum ReportedStatus { Open, Resolved }

/// <summary>
/// An incident as any source reports it, before it is matched to a stored incident. Source-neutral. <see cref="AsOf"/>
/// is when the source says this state held (its last-modified time); without it, the state's own time stands in.
/// <see cref="Team"/> is the owning team's key when the source tells it (a response plan); a known service's team wins.
/// </summary>
public sealed record IncidentReport(
    string Source, string ExternalId, string Title, string? Service, int Impact, ReportedStatus Status, string? Url,
    DateTimeOffset? OpenedAt, DateTimeOffset? ResolvedAt, string? DeploymentId = null, DateTimeOffset? AsOf = null, string? Team = null)
{
    public DateTimeOffset TimeOfState(DateTimeOffset received) =>
        (AsOf ?? (Status == ReportedStatus.Resolved ? ResolvedAt : OpenedAt) ?? received).ToUniversalTime();
}

/// <summary>A deployment as a CI/CD tool reports it (for change failure rate, and to link an incident to its cause).</summary>
public sealed record DeploymentReport(string Id, string Service, string Version, DateTimeOffset DeployedAt, string Outcome);

/// <summary>What a webhook body said: the report, or the reasons it could not be read (for a 400).</summary>
public sealed record WebhookParse<T>(T? Report, IReadOnlyList<string> Problems) where T : class
{
    public bool IsValid => Report is not null;
}

/// <summary>
/// The generic signed webhooks for any alerting or deployment tool: <c>X-Signature-256: sha256=&lt;lowercase hex
/// HMAC-SHA256 of the raw body&gt;</c> with the shared secret, and two small documented JSON shapes.
/// </summary>
public static class IncidentWebhook
{
    public const string Source = "webhook";
    public const string SignatureHeader = "X-Signature-256";
    public const int MaxTitle = 200;

    public static readonly string[] Outcomes = ["success", "failure", "rolled-back"];

    /// <summary>True when the header is <c>sha256=</c> and the HMAC of the raw body, compared in fixed time.</summary>
    public static bool SignatureMatches(string? header, ReadOnlySpan<byte> body, string? secret)
    {
        if (string.IsNullOrEmpty(secret) || header is null || !header.StartsWith("sha256=", StringComparison.Ordinal)) return false;
        var expected = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(header["sha256=".Length..]));
    }

    /// <summary>
    /// <c>{ "id", "title", "service", "impact": 1–5, "status": "open"|"resolved", "url", "openedAt", "resolvedAt", "updatedAt", "deploymentId" }</c>;
    /// id, title and status are required; impact defaults to 3. <c>updatedAt</c> orders reports that arrive out of order,
    /// so one more than <see cref="MaxClockSkew"/> ahead of <paramref name="now"/> is refused: it would outrank every later report.
    /// </summary>
    /// <summary>How far ahead of the bot's clock a sender's <c>updatedAt</c> may be.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public static WebhookParse<IncidentReport> ParseIncident(ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (InboundBody.ParseObject(body) is not { } json) return new(null, ["the body is not a JSON object"]);
        var problems = new List<string>();
        var id = Text(json, "id", problems, required: true, max: 200);
        var title = Text(json, "title", problems, required: true, max: MaxTitle);
        var service = Text(json, "service", problems, required: false, max: 64);
        var url = Text(json, "url", problems, required: false, max: 1000);
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("https" or "http"))) problems.Add("url must be an http(s) URL");
        var impact = 3;
        if (json["impact"] is { } impactNode && !(impactNode is JsonValue iv && iv.TryGetValue(out impact) && impact is >= 1 and <= 5))
            problems.Add("impact must be a whole number from 1 (critical) to 5 (no impact)");
        ReportedStatus status = default;
        switch (Text(json, "status", problems, required: true, max: 16))
        {
            case "open": status = ReportedStatus.Open; break;
            case "resolved": status = ReportedStatus.Resolved; break;
            case null: break;
            default: problems.Add("status must be \"open\" or \"resolved\""); break;
        }
        var openedAt = Time(json, "openedAt", problems);
        var resolvedAt = Time(json, "resolvedAt", problems);
        var updatedAt = Time(json, "updatedAt", problems);
        if (updatedAt > now + MaxClockSkew)
            problems.Add($"updatedAt is more than {MaxClockSkew.TotalMinutes:0} minutes ahead of this server's clock; a report from the future would freeze the incident");
        var deployment = Text(json, "deploymentId", problems, required: false, max: 200);
        return problems.Count > 0
            ? new(null, problems)
            : new(new IncidentReport(Source, id!, title!, service, impact, status, url, openedAt, resolvedAt, deployment, updatedAt), []);
    }

    /// <summary><c>{ "id", "service", "version", "deployedAt", "outcome": "success"|"failure"|"rolled-back" }</c>, all required.</summary>
    public static WebhookParse<DeploymentReport> ParseDeployment(ReadOnlySpan<byte> body)
    {
        if (InboundBody.ParseObject(body) is not { } json) return new(null, ["the body is not a JSON object"]);
        var problems = new List<string>();
        var id = Text(json, "id", problems, required: true, max: 200);
        var service = Text(json, "service", problems, required: true, max: 64);
        var version = Text(json, "version", problems, required: true, max: 200);
        var at = Time(json, "deployedAt", problems);
        if (at is null && !problems.Any(p => p.StartsWith("deployedAt", StringComparison.Ordinal))) problems.Add("deployedAt is required");
        var outcome = Text(json, "outcome", problems, required: true, max: 16);
        if (outcome is not null && !Outcomes.Contains(outcome)) problems.Add("outcome must be one of " + string.Join(", ", Outcomes));
        return problems.Count > 0 ? new(null, problems) : new(new DeploymentReport(id!, service!, version!, at!.Value, outcome!), []);
    }

    private static string? Text(JsonObject json, string name, List<string> problems, bool required, int max)
    {
        var node = json[name];
        if (node is null)
        {
            if (required) problems.Add($"{name} is required");
            return null;
        }
        if (node is not JsonValue v || !v.TryGetValue<string>(out var s) || string.IsNullOrWhiteSpace(s))
        {
            problems.Add($"{name} must be a non-empty string");
            return null;
        }
        if (s.Length > max) problems.Add($"{name} must be at most {max} characters");
        return s.Trim();
    }

    private static DateTimeOffset? Time(JsonObject json, string name, List<string> problems)
    {
        if (json[name] is null) return null;
        if (json[name] is JsonValue v && v.TryGetValue<string>(out var s)
            && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            return at;
        problems.Add($"{name} must be an ISO 8601 time, e.g. 2026-11-23T10:00:00Z");
        return null;
    }
}
