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

    /// <summary>The time signatures are checked against (AWS allows 5 minutes of skew): the bot's clock when a test moves it.</summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

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
            AccessKey, SecretKey, Region, "ssm-incidents", Clock());
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
                JsonNode copy;
                lock (record) copy = record.DeepClone();
                await AnswerAsync(200, new JsonObject { ["incidentRecord"] = copy });
                return;
            case "getIncidentRecord" or "getResponsePlan" when query["arn"].Count == 0:
                await AnswerAsync(400, new JsonObject { ["message"] = "1 validation error detected: Value null at 'arn'" }, "ValidationException");
                return;
            case "getIncidentRecord":
                await AnswerAsync(404, new JsonObject { ["message"] = "Incident record not found", ["resourceType"] = "INCIDENT_RECORD" }, "ResourceNotFoundException");
                return;
            case "updateIncidentRecord":
                if (body?["arn"]?.GetValue<string>() is { } updated && Incidents.TryGetValue(updated, out var existing))
                {
                    lock (existing)
                    {
                        foreach (var member in new[] { "title", "summary", "impact", "status" })
                            if (body[member] is { } value) existing[member] = value.DeepClone();
                        if (body["status"]?.GetValue<string>() == "RESOLVED") existing["resolvedTime"] ??= Now();
                        existing["lastModifiedTime"] = Now();
                    }
                }
                await AnswerAsync(204, null);
                return;
            case "updateRelatedItems":
                if (body?["incidentRecordArn"]?.GetValue<string>() is { } related && body["relatedItemsUpdate"]?["itemToAdd"] is { } item)
                    RelatedItems.GetOrAdd(related, _ => new()).Enqueue(item.DeepClone().AsObject());
                await AnswerAsync(204, null);
                return;
            case "listIncidentRecords":
                await AnswerAsync(200, new JsonObject
                {
                    ["incidentRecordSummaries"] = new JsonArray(Incidents.Values.Where(i => Matches(i, body?["filters"] as JsonArray))
                        .Select(i => (JsonNode)Summary(i)).ToArray()),
                });
                return;
            case "createTimelineEvent":
            {
                var arn = body?["incidentRecordArn"]?.GetValue<string>() ?? "";
                var id = "event-" + Interlocked.Increment(ref _events);
                AddTimelineEvent(arn, id, body?["eventTime"]?.GetValue<double>() ?? 0, body?["eventType"]?.GetValue<string>() ?? "Custom Event",
                    body?["eventData"]?.GetValue<string>() ?? "");
                await AnswerAsync(201, new JsonObject { ["eventId"] = id, ["incidentRecordArn"] = arn });
                return;
            }
            case "listTimelineEvents":
            {
                var arn = body?["incidentRecordArn"]?.GetValue<string>() ?? "";
                var events = Timeline.GetValueOrDefault(arn)?.ToArray() ?? [];
                var ordered = body?["sortOrder"]?.GetValue<string>() == "DESCENDING"
                    ? events.OrderByDescending(e => e["eventTime"]!.GetValue<double>())
                    : events.OrderBy(e => e["eventTime"]!.GetValue<double>());
                await AnswerAsync(200, new JsonObject
                {
                    ["eventSummaries"] = new JsonArray(ordered.Select(e => (JsonNode)new JsonObject
                    {
                        ["eventId"] = e["eventId"]!.DeepClone(), ["eventTime"] = e["eventTime"]!.DeepClone(), ["eventType"] = e["eventType"]!.DeepClone(),
                        ["eventUpdatedTime"] = e["eventUpdatedTime"]!.DeepClone(), ["incidentRecordArn"] = arn,
                    }).ToArray()),
                });
                return;
            }
            case "getTimelineEvent":
            {
                var arn = query["incidentRecordArn"].ToString();
                var found = Timeline.GetValueOrDefault(arn)?.FirstOrDefault(e => e["eventId"]!.GetValue<string>() == query["eventId"].ToString());
                if (found is null) await AnswerAsync(404, new JsonObject { ["message"] = "Timeline event not found" }, "ResourceNotFoundException");
                else await AnswerAsync(200, new JsonObject { ["event"] = found.DeepClone() });
                return;
            }
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

    /// <summary>An incident that exists in Incident Manager (started by a responder or an alarm, not by the bot).</summary>
    public string AddIncident(string plan, string title, int impact, DateTimeOffset created, string status = "OPEN", DateTimeOffset? resolved = null)
    {
        var arn = IncidentArn(plan, Guid.NewGuid().ToString());
        var record = new JsonObject
        {
            ["arn"] = arn, ["title"] = title, ["status"] = status, ["impact"] = impact, ["creationTime"] = created.ToUnixTimeMilliseconds() / 1000.0,
            ["lastModifiedTime"] = (resolved ?? created).ToUnixTimeMilliseconds() / 1000.0,
            ["incidentRecordSource"] = new JsonObject { ["createdBy"] = "arn:aws:iam::111122223333:role/responder", ["source"] = "aws.cloudwatch" },
        };
        if (resolved is { } r) record["resolvedTime"] = r.ToUnixTimeMilliseconds() / 1000.0;
        Incidents[arn] = record;
        return arn;
    }

    /// <summary>Each incident's timeline events, as the console shows them.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<JsonObject>> Timeline { get; } = new();

    /// <summary>Items linked from each incident (<c>updateRelatedItems</c> with <c>itemToAdd</c>).</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<JsonObject>> RelatedItems { get; } = new();

    /// <summary>A timeline event written by a responder or an integration (not by the bot).</summary>
    public void AddTimelineEvent(string arn, string id, double eventTime, string type, string data) =>
        Timeline.GetOrAdd(arn, _ => new()).Enqueue(new JsonObject
        {
            ["eventId"] = id, ["eventTime"] = eventTime, ["eventType"] = type, ["eventData"] = data, ["eventUpdatedTime"] = eventTime,
            ["incidentRecordArn"] = arn,
        });

    /// <summary>Edits a timeline event's text, as a responder can in the console.</summary>
    public void EditTimelineEvent(string arn, string id, string data)
    {
        var e = Timeline[arn].Single(x => x["eventId"]!.GetValue<string>() == id);
        e["eventData"] = data;
        e["eventUpdatedTime"] = Now();
    }

    /// <summary>Changes an incident as a responder in the console would.</summary>
    public void Resolve(string arn, DateTimeOffset at)
    {
        var record = Incidents[arn];
        lock (record)
        {
            record["status"] = "RESOLVED";
            record["resolvedTime"] = at.ToUnixTimeMilliseconds() / 1000.0;
            record["lastModifiedTime"] = at.ToUnixTimeMilliseconds() / 1000.0;
        }
    }

    private static JsonNode Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    private static JsonObject Summary(JsonObject record)
    {
        lock (record)
        {
            var summary = new JsonObject();
            foreach (var member in new[] { "arn", "title", "status", "impact", "creationTime", "resolvedTime", "incidentRecordSource" })
                if (record[member] is { } value) summary[member] = value.DeepClone();
            return summary;
        }
    }

    /// <summary>The documented filter semantics: filters AND, values OR; creationTime with before/after, status and impact with equals.</summary>
    private static bool Matches(JsonObject record, JsonArray? filters)
    {
        foreach (var filter in filters ?? [])
        {
            var key = filter!["key"]!.GetValue<string>();
            var condition = filter["condition"]!.AsObject();
            lock (record)
            {
                var ok = key switch
                {
                    "creationTime" when condition["after"] is { } after => record["creationTime"]!.GetValue<double>() > after.GetValue<double>(),
                    "creationTime" when condition["before"] is { } before => record["creationTime"]!.GetValue<double>() < before.GetValue<double>(),
                    "status" => condition["equals"]!["stringValues"]!.AsArray().Any(v => v!.GetValue<string>() == record["status"]!.GetValue<string>()),
                    "impact" => condition["equals"]!["integerValues"]!.AsArray().Any(v => v!.GetValue<int>() == record["impact"]!.GetValue<int>()),
                    _ => true,
                };
                if (!ok) return false;
            }
        }
        return true;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
