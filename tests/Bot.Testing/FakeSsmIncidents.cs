using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing;

/// <summary>
/// AWS Systems Manager Incident Manager (<c>ssm-incidents</c>) on loopback. It checks every request's SigV4
/// Authorization header with its own verifier (403 <c>InvalidSignatureException</c> otherwise), answers the
/// documented operations with their documented status codes, honours <c>clientToken</c> idempotency for
/// StartIncident, and records each call.
/// </summary>
public sealed class FakeSsmIncidents : IAsyncDisposable
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string Region = "us-east-1";
    public const string Account = "111122223333";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(int Status, string Code, string Message, string? RetryAfter)> _scripted = new();
    private readonly ConcurrentDictionary<string, string> _incidentsByToken = new();
    private long _events;

    private FakeSsmIncidents(WebApplication app, Uri address)
    {
        _app = app;
        ServiceUrl = address;
    }

    public Uri ServiceUrl { get; }

    public sealed record Call(string Method, string Operation, string? RawQuery, JsonObject? Body, int Status, string? SignatureProblem, string? AmzDate);

    public ConcurrentQueue<Call> Calls { get; } = new();

    /// <summary>Incident records GetIncidentRecord and ListIncidentRecords answer with, by ARN.</summary>
    public ConcurrentDictionary<string, JsonObject> Incidents { get; } = new();

    /// <summary>The next call is answered with this error, as AWS sends it (x-amzn-ErrorType header and a JSON body).</summary>
    public void FailNext(int status, string code, string message, string? retryAfter = null) => _scripted.Enqueue((status, code, message, retryAfter));

    public IEnumerable<Call> Of(string operation) => Calls.Where(c => c.Operation == operation);

    public static string IncidentArn(string plan, string id) => $"arn:aws:ssm-incidents::{Account}:incident-record/{plan}/{id}";

    public static async Task<FakeSsmIncidents> StartAsync()
    {
        FakeSsmIncidents? fake = null;
        var (app, address) = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/{operation}", (HttpContext c, string operation) => fake!.HandleAsync(c, operation));
            app.MapGet("/{operation}", (HttpContext c, string operation) => fake!.HandleAsync(c, operation));
        });
        fake = new FakeSsmIncidents(app, address);
        return fake;
    }

    private async Task HandleAsync(HttpContext context, string operation)
    {
        var request = context.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var bytes = buffer.ToArray();
        var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var problem = SigV4Verifier.Check(new SigV4Verifier.Request(request.Method, request.Path.Value ?? "/", request.QueryString.Value, headers, bytes),
            AccessKey, SecretKey, Region, "ssm-incidents", DateTimeOffset.UtcNow);
        var body = bytes.Length > 0 ? JsonNode.Parse(bytes) as JsonObject : null;

        async Task AnswerAsync(int status, JsonObject? reply, string? errorType = null)
        {
            Calls.Enqueue(new Call(request.Method, operation, request.QueryString.Value, body, status, problem, headers.GetValueOrDefault("x-amz-date")));
            context.Response.StatusCode = status;
            context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
            if (errorType is not null) context.Response.Headers["x-amzn-ErrorType"] = errorType + ":http://internal.amazon.com/coral/com.amazonaws.ssmincidents/";
            if (reply is not null) await context.Response.WriteAsJsonAsync(reply);
        }

        if (problem is not null)
        {
            await AnswerAsync(403, new JsonObject { ["message"] = "The request signature we calculated does not match the signature you provided." }, "InvalidSignatureException");
            return;
        }
        if (_scripted.TryDequeue(out var scripted))
        {
            if (scripted.RetryAfter is not null) context.Response.Headers.RetryAfter = scripted.RetryAfter;
            await AnswerAsync(scripted.Status, new JsonObject { ["message"] = scripted.Message }, scripted.Code);
            return;
        }

        var query = request.Query;
        switch (operation)
        {
            case "startIncident":
            {
                var token = body?["clientToken"]?.GetValue<string>() ?? Guid.NewGuid().ToString();
                var plan = (body?["responsePlanArn"]?.GetValue<string>() ?? "").Split('/').Last();
                var arn = _incidentsByToken.GetOrAdd(token, _ => IncidentArn(plan, Guid.NewGuid().ToString()));
                Incidents.TryAdd(arn, new JsonObject
                {
                    ["arn"] = arn, ["title"] = body?["title"]?.GetValue<string>() ?? plan, ["status"] = "OPEN", ["impact"] = body?["impact"]?.GetValue<int>() ?? 3,
                    ["creationTime"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
                    ["incidentRecordSource"] = new JsonObject { ["createdBy"] = "bot", ["source"] = body?["triggerDetails"]?["source"]?.GetValue<string>() },
                });
                await AnswerAsync(200, new JsonObject { ["incidentRecordArn"] = arn });
                return;
            }
            case "getIncidentRecord" when Incidents.TryGetValue(query["arn"].ToString(), out var record):
                await AnswerAsync(200, new JsonObject { ["incidentRecord"] = record.DeepClone() });
                return;
            case "getIncidentRecord" or "getResponsePlan" when query["arn"].Count == 0:
                await AnswerAsync(400, new JsonObject { ["message"] = "1 validation error detected: Value null at 'arn'" }, "ValidationException");
                return;
            case "getIncidentRecord":
                await AnswerAsync(404, new JsonObject { ["message"] = "Incident record not found", ["resourceType"] = "INCIDENT_RECORD" }, "ResourceNotFoundException");
                return;
            case "updateIncidentRecord" or "updateRelatedItems":
                await AnswerAsync(204, null);
                return;
            case "listIncidentRecords":
                await AnswerAsync(200, new JsonObject { ["incidentRecordSummaries"] = new JsonArray(Incidents.Values.Select(i => (JsonNode)i.DeepClone()).ToArray()) });
                return;
            case "createTimelineEvent":
                await AnswerAsync(201, new JsonObject
                {
                    ["eventId"] = "event-" + Interlocked.Increment(ref _events), ["incidentRecordArn"] = body?["incidentRecordArn"]?.GetValue<string>(),
                });
                return;
            case "listTimelineEvents":
                await AnswerAsync(200, new JsonObject
                {
                    ["eventSummaries"] = new JsonArray(new JsonObject
                    {
                        ["eventId"] = "event-1", ["eventTime"] = 1_700_000_000.5, ["eventType"] = "Custom Event", ["eventUpdatedTime"] = 1_700_000_001,
                        ["incidentRecordArn"] = body?["incidentRecordArn"]?.GetValue<string>(),
                    }),
                });
                return;
            case "getTimelineEvent":
                await AnswerAsync(200, new JsonObject
                {
                    ["event"] = new JsonObject
                    {
                        ["eventId"] = query["eventId"].ToString(), ["eventTime"] = 1_700_000_000, ["eventType"] = "Custom Event", ["eventData"] = "\"Acknowledged by Bea\"",
                        ["eventUpdatedTime"] = 1_700_000_000, ["incidentRecordArn"] = query["incidentRecordArn"].ToString(),
                    },
                });
                return;
            case "getResponsePlan":
                await AnswerAsync(200, new JsonObject
                {
                    ["arn"] = query["arn"].ToString(), ["name"] = query["arn"].ToString().Split('/').Last(), ["displayName"] = "Payments",
                    ["incidentTemplate"] = new JsonObject { ["title"] = "Payments incident", ["impact"] = 2, ["incidentTags"] = new JsonObject { ["team"] = "payments" } },
                });
                return;
            case "listResponsePlans":
                await AnswerAsync(200, new JsonObject
                {
                    ["responsePlanSummaries"] = new JsonArray(new JsonObject { ["arn"] = $"arn:aws:ssm-incidents::{Account}:response-plan/payments", ["name"] = "payments" }),
                    ["nextToken"] = body?["nextToken"] is null ? "page-2" : null,
                });
                return;
            default:
                await AnswerAsync(404, new JsonObject { ["message"] = "Unknown operation" }, "UnknownOperationException");
                return;
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
