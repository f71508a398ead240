using System.Net;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Bot.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.IncidentManager.Tests;

/// <summary>The ssm-incidents client against a loopback endpoint that checks every SigV4 signature itself.</summary>
public sealed class SsmIncidentsClientTests : IAsyncLifetime
{
    private const string Plan = "arn:aws:ssm-incidents::111122223333:response-plan/payments";
    private FakeSsmIncidents _aws = null!;
    private ServiceProvider _services = null!;
    private readonly SteppingClock _clock = new();

    /// <summary>Real time, plus one minute more at every reading: each signing (one per attempt) sees a later time.</summary>
    private sealed class SteppingClock : TimeProvider
    {
        private long _steps;

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddMinutes(Interlocked.Increment(ref _steps) % 10);
    }
    private SsmIncidentsClient _client = null!;

    private sealed class TestCredentials : IAwsCredentialsSource
    {
        public Task<AWSCredentials> GetAsync(CancellationToken ct) =>
            Task.FromResult<AWSCredentials>(new BasicAWSCredentials(FakeSsmIncidents.AccessKey, FakeSsmIncidents.SecretKey));
    }

    public async Task InitializeAsync()
    {
        _aws = await FakeSsmIncidents.StartAsync();
        _services = IncidentManagerServices.Build(Settings(), new TestCredentials(), clock: _clock);
        _client = _services.GetRequiredService<SsmIncidentsClient>();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _aws.DisposeAsync();
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["IncidentManager:Region"] = FakeSsmIncidents.Region,
        ["IncidentManager:ServiceUrl"] = _aws.ServiceUrl.AbsoluteUri,
    };

    private static readonly TriggerDetails Trigger = new("ops-culture-bot", new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task StartIncident_PostsTheDocumentedBody_WithAClientToken_AndReturnsTheArn()
    {
        var arn = await _client.StartIncidentAsync(new StartIncidentRequest(Plan, Trigger, "Checkout fails", 2,
            [new RelatedItem(new ItemIdentifier("OTHER", new ItemValue(Url: "https://bot.example.com/escalations/7")), "Escalation #7")]), CancellationToken.None);

        Assert.StartsWith("arn:aws:ssm-incidents::111122223333:incident-record/payments/", arn);
        var call = Assert.Single(_aws.Calls);
        Assert.Null(call.SignatureProblem);
        Assert.Equal(("POST", "startIncident", 200), (call.Method, call.Operation, call.Status));
        var body = call.Body!;
        Assert.Equal(Plan, body["responsePlanArn"]!.GetValue<string>());
        Assert.Equal("Checkout fails", body["title"]!.GetValue<string>());
        Assert.Equal(2, body["impact"]!.GetValue<int>());
        Assert.Equal("ops-culture-bot", body["triggerDetails"]!["source"]!.GetValue<string>());
        Assert.Equal(1_795_428_000, body["triggerDetails"]!["timestamp"]!.GetValue<double>());
        Assert.Equal("https://bot.example.com/escalations/7", body["relatedItems"]![0]!["identifier"]!["value"]!["url"]!.GetValue<string>());
        Assert.Null(body["relatedItems"]![0]!["identifier"]!["value"]!["arn"]);
        Assert.True(Guid.TryParse(body["clientToken"]!.GetValue<string>(), out _));
    }

    [Fact]
    public async Task RetriedStartIncident_ReusesItsClientToken_AndIsSignedAgain()
    {
        _aws.FailNext(500, "InternalServerException", "Internal error");
        var arn = await _client.StartIncidentAsync(new StartIncidentRequest(Plan, Trigger, "Checkout fails", 2), CancellationToken.None);

        var calls = _aws.Of("startIncident").ToArray();
        Assert.Equal([500, 200], calls.Select(c => c.Status));
        Assert.All(calls, c => Assert.Null(c.SignatureProblem));
        Assert.NotEqual(calls[0].AmzDate, calls[1].AmzDate);
        Assert.Equal(calls[0].Body!["clientToken"]!.GetValue<string>(), calls[1].Body!["clientToken"]!.GetValue<string>());
        Assert.Single(_aws.Incidents);
        Assert.Contains(arn, _aws.Incidents.Keys);
    }

    [Fact]
    public async Task Throttling_IsRetried_ValidationIsNot_AndBothAreTyped()
    {
        _aws.FailNext(429, "ThrottlingException", "Rate exceeded");
        await _client.ListResponsePlansAsync(10, null, CancellationToken.None);
        Assert.Equal([429, 200], _aws.Of("listResponsePlans").Select(c => c.Status));

        _aws.FailNext(400, "ValidationException", "1 validation error detected: Value 'x' at 'impact' failed to satisfy constraint");
        var error = await Assert.ThrowsAsync<IncidentManagerValidationException>(() =>
            _client.UpdateIncidentRecordAsync(new UpdateIncidentRecordRequest(FakeSsmIncidents.IncidentArn("payments", "1"), Impact: 9), CancellationToken.None));
        Assert.Single(_aws.Of("updateIncidentRecord"));
        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.NotNull(error.RequestId);
        Assert.Contains("did not accept", error.PlainWords);

        _aws.FailNext(403, "AccessDeniedException", "User is not authorized to perform: ssm-incidents:StartIncident");
        var denied = await Assert.ThrowsAsync<IncidentManagerAccessDeniedException>(() =>
            _client.StartIncidentAsync(new StartIncidentRequest(Plan, Trigger), CancellationToken.None));
        Assert.Contains("IAM", denied.PlainWords);
    }

    [Fact]
    public async Task GetIncidentRecord_EscapesTheArnInTheQuery_AndReadsEpochSeconds()
    {
        var arn = FakeSsmIncidents.IncidentArn("Example-Response-Plan", "6ebcc812-85f5-b7eb-8b2f-283e4d844308");
        _aws.Incidents[arn] = new JsonObject
        {
            ["arn"] = arn, ["title"] = "Checkout down", ["status"] = "RESOLVED", ["impact"] = 1, ["creationTime"] = 1_700_000_000.25, ["resolvedTime"] = 1_700_003_600,
        };
        var record = await _client.GetIncidentRecordAsync(arn, CancellationToken.None);

        var call = Assert.Single(_aws.Calls);
        Assert.Equal("GET", call.Method);
        Assert.Equal("?arn=" + Uri.EscapeDataString(arn), call.RawQuery);
        Assert.Contains("%3A", call.RawQuery);
        Assert.Contains("%2F", call.RawQuery);
        Assert.Null(call.SignatureProblem);
        Assert.Equal(("Checkout down", "RESOLVED", 1), (record.Title, record.Status, record.Impact));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_250), record.CreationTime);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_003_600), record.ResolvedTime);

        var missing = await Assert.ThrowsAsync<IncidentManagerNotFoundException>(() => _client.GetIncidentRecordAsync(arn + "0", CancellationToken.None));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }

    [Fact]
    public async Task EveryOtherOperation_UsesItsDocumentedMethodPathBodyAndStatus()
    {
        var arn = FakeSsmIncidents.IncidentArn("payments", "1");
        var at = new DateTimeOffset(2026, 11, 23, 10, 5, 0, TimeSpan.Zero);

        await _client.UpdateIncidentRecordAsync(new UpdateIncidentRecordRequest(arn, Status: "RESOLVED"), CancellationToken.None);
        var eventId = await _client.CreateTimelineEventAsync(arn, at, "Custom Event", "\"Acknowledged by Bea Okafor\"", null, null, CancellationToken.None);
        var events = await _client.ListTimelineEventsAsync(arn, null, newestFirst: true, 20, null, CancellationToken.None);
        var one = await _client.GetTimelineEventAsync(arn, eventId, CancellationToken.None);
        await _client.UpdateRelatedItemsAsync(arn, new RelatedItemsUpdate(ItemToAdd: new RelatedItem(new ItemIdentifier("OTHER", new ItemValue(Url: "https://bot.example.com/reviews/3")), "Review")),
            null, CancellationToken.None);
        var records = await _client.ListIncidentRecordsAsync([new Filter("status", new Condition(EqualTo: new EqualsCondition(["OPEN"])))], 50, null, CancellationToken.None);
        var plan = await _client.GetResponsePlanAsync(Plan, CancellationToken.None);
        var plans = await _client.ListResponsePlansAsync(null, null, CancellationToken.None);

        Assert.All(_aws.Calls, c => Assert.Null(c.SignatureProblem));
        Assert.Equal(
            ["POST updateIncidentRecord 204", "POST createTimelineEvent 201", "POST listTimelineEvents 200", "GET getTimelineEvent 200",
             "POST updateRelatedItems 204", "POST listIncidentRecords 200", "GET getResponsePlan 200", "POST listResponsePlans 200"],
            _aws.Calls.Select(c => $"{c.Method} {c.Operation} {c.Status}"));
        var calls = _aws.Calls.ToArray();
        Assert.Equal("RESOLVED", calls[0].Body!["status"]!.GetValue<string>());
        Assert.NotNull(calls[0].Body!["clientToken"]);
        Assert.Equal("Custom Event", calls[1].Body!["eventType"]!.GetValue<string>());
        Assert.Equal(1_795_428_300, calls[1].Body!["eventTime"]!.GetValue<double>());
        Assert.NotNull(calls[1].Body!["clientToken"]);
        Assert.Equal(("EVENT_TIME", "DESCENDING"), (calls[2].Body!["sortBy"]!.GetValue<string>(), calls[2].Body!["sortOrder"]!.GetValue<string>()));
        Assert.Equal($"?eventId={eventId}&incidentRecordArn={Uri.EscapeDataString(arn)}", calls[3].RawQuery);
        Assert.Equal("https://bot.example.com/reviews/3", calls[4].Body!["relatedItemsUpdate"]!["itemToAdd"]!["identifier"]!["value"]!["url"]!.GetValue<string>());
        Assert.Null(calls[4].Body!["relatedItemsUpdate"]!["itemToRemove"]);
        Assert.Equal("OPEN", calls[5].Body!["filters"]![0]!["condition"]!["equals"]!["stringValues"]![0]!.GetValue<string>());
        Assert.Null(calls[5].Body!["nextToken"]);

        Assert.Equal(eventId, events.EventSummaries[0].EventId);
        Assert.Equal("\"Acknowledged by Bea Okafor\"", one.EventData);
        Assert.Equal(("payments", 2), (plan.Name, plan.IncidentTemplate.Impact));
        Assert.Equal("payments", plan.IncidentTemplate.IncidentTags!["team"]);
        Assert.Equal("page-2", plans.NextToken);
        Assert.NotNull(records.IncidentRecordSummaries);
    }

    [Fact]
    public async Task AWrongSecret_IsRejectedByTheEndpointsOwnCheck()
    {
        await using var provider = IncidentManagerServices.Build(Settings(), new WrongCredentials());
        var error = await Assert.ThrowsAsync<IncidentManagerException>(() => provider.GetRequiredService<SsmIncidentsClient>().ListResponsePlansAsync(null, null, CancellationToken.None));
        Assert.Equal("InvalidSignatureException", error.Code);
        Assert.Equal("signature does not match", Assert.Single(_aws.Calls).SignatureProblem);
    }

    private sealed class WrongCredentials : IAwsCredentialsSource
    {
        public Task<AWSCredentials> GetAsync(CancellationToken ct) => Task.FromResult<AWSCredentials>(new BasicAWSCredentials(FakeSsmIncidents.AccessKey, "not-the-secret"));
    }
}
