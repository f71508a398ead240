using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Bot.IncidentManager;

/// <summary>
/// A small client for the AWS Systems Manager Incident Manager API (<c>ssm-incidents</c>, rest-json, SigV4):
/// exactly the documented paths, methods, member names and success codes. Every mutating call carries a
/// <c>clientToken</c> (a new UUID unless given), serialized once, so a retried request cannot create a second
/// incident. Errors become <see cref="IncidentManagerException"/> subtypes.
/// </summary>
public sealed class SsmIncidentsClient(HttpClient http, IOptions<IncidentManagerOptions> options)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new EpochSecondsConverter() },
    };

    public async Task<string> StartIncidentAsync(StartIncidentRequest request, CancellationToken ct) =>
        (await PostAsync<JsonObject>("startIncident", request with { ClientToken = request.ClientToken ?? NewToken() }, HttpStatusCode.OK, ct))!["incidentRecordArn"]!.GetValue<string>();

    public async Task<IncidentRecord> GetIncidentRecordAsync(string arn, CancellationToken ct) =>
        (await GetAsync<JsonObject>($"getIncidentRecord?arn={Uri.EscapeDataString(arn)}", ct))["incidentRecord"].Deserialize<IncidentRecord>(Json)!;

    public Task UpdateIncidentRecordAsync(UpdateIncidentRecordRequest request, CancellationToken ct) =>
        PostAsync<JsonObject>("updateIncidentRecord", request with { ClientToken = request.ClientToken ?? NewToken() }, HttpStatusCode.NoContent, ct);

    public async Task<IncidentRecordPage> ListIncidentRecordsAsync(IReadOnlyList<Filter>? filters, int? maxResults, string? nextToken, CancellationToken ct) =>
        (await PostAsync<IncidentRecordPage>("listIncidentRecords", new { filters, maxResults, nextToken }, HttpStatusCode.OK, ct))!;

    /// <summary>Adds a timeline event (<c>Custom Event</c> or <c>Note</c>); returns its id.</summary>
    public async Task<string> CreateTimelineEventAsync(string incidentRecordArn, DateTimeOffset eventTime, string eventType, string eventData,
        IReadOnlyList<EventReference>? eventReferences, string? clientToken, CancellationToken ct) =>
        (await PostAsync<JsonObject>("createTimelineEvent", new
        {
            incidentRecordArn, eventTime, eventType, eventData, eventReferences, clientToken = clientToken ?? NewToken(),
        }, HttpStatusCode.Created, ct))!["eventId"]!.GetValue<string>();

    public async Task<TimelineEventPage> ListTimelineEventsAsync(string incidentRecordArn, IReadOnlyList<Filter>? filters, bool newestFirst, int? maxResults,
        string? nextToken, CancellationToken ct) =>
        (await PostAsync<TimelineEventPage>("listTimelineEvents", new
        {
            incidentRecordArn, filters, sortBy = "EVENT_TIME", sortOrder = newestFirst ? "DESCENDING" : "ASCENDING", maxResults, nextToken,
        }, HttpStatusCode.OK, ct))!;

    public async Task<TimelineEvent> GetTimelineEventAsync(string incidentRecordArn, string eventId, CancellationToken ct) =>
        (await GetAsync<JsonObject>($"getTimelineEvent?eventId={Uri.EscapeDataString(eventId)}&incidentRecordArn={Uri.EscapeDataString(incidentRecordArn)}", ct))
        ["event"].Deserialize<TimelineEvent>(Json)!;

    public Task UpdateRelatedItemsAsync(string incidentRecordArn, RelatedItemsUpdate update, string? clientToken, CancellationToken ct) =>
        PostAsync<JsonObject>("updateRelatedItems", new { incidentRecordArn, relatedItemsUpdate = update, clientToken = clientToken ?? NewToken() },
            HttpStatusCode.NoContent, ct);

    public Task<ResponsePlan> GetResponsePlanAsync(string arn, CancellationToken ct) => GetAsync<ResponsePlan>($"getResponsePlan?arn={Uri.EscapeDataString(arn)}", ct);

    public async Task<ResponsePlanPage> ListResponsePlansAsync(int? maxResults, string? nextToken, CancellationToken ct) =>
        (await PostAsync<ResponsePlanPage>("listResponsePlans", new { maxResults, nextToken }, HttpStatusCode.OK, ct))!;

    private static string NewToken() => Guid.NewGuid().ToString();

    private async Task<T?> PostAsync<T>(string operation, object body, HttpStatusCode success, CancellationToken ct)
    {
        // Serialized once: every retry of this request sends the same bytes, clientToken included.
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), Json));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Value.Endpoint, operation)) { Content = content };
        return await SendAsync<T>(request, success, ct);
    }

    private async Task<T> GetAsync<T>(string operationAndQuery, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.Value.Endpoint, operationAndQuery));
        return (await SendAsync<T>(request, HttpStatusCode.OK, ct))!;
    }

    private async Task<T?> SendAsync<T>(HttpRequestMessage request, HttpStatusCode success, CancellationToken ct)
    {
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw Error(response, text);
        if (response.StatusCode != success)
            throw new IncidentManagerException("UnexpectedStatus", $"expected {(int)success}, got {(int)response.StatusCode}", response.StatusCode, RequestId(response));
        return text.Length == 0 ? default : JsonSerializer.Deserialize<T>(text, Json);
    }

    /// <summary>rest-json errors: the code from <c>x-amzn-ErrorType</c> (before ':'), else the body's <c>code</c>, else <c>__type</c> (after '#').</summary>
    private static IncidentManagerException Error(HttpResponseMessage response, string text)
    {
        JsonObject? body = null;
        try
        {
            body = text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            // An HTML error page from a proxy: the status is all there is.
        }
        var code = response.Headers.TryGetValues("x-amzn-ErrorType", out var types) ? types.First().Split(':')[0] : null;
        code ??= Str(body, "code");
        code ??= Str(body, "__type") is { } type ? type[(type.LastIndexOf('#') + 1)..].Split(':')[0] : null;
        code ??= response.StatusCode == HttpStatusCode.TooManyRequests ? "ThrottlingException" : $"Http{(int)response.StatusCode}";
        var message = Str(body, "message") ?? Str(body, "Message") ?? response.ReasonPhrase ?? "";
        return IncidentManagerException.For(code, message, response.StatusCode, RequestId(response));
    }

    private static string? Str(JsonObject? body, string name) => body?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string? RequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.FirstOrDefault() : null;
}
