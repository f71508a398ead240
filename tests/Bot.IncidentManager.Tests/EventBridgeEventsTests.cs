using System.Text;
using System.Text.Json.Nodes;

namespace Bot.IncidentManager.Tests;

/// <summary>CloudTrail-delivered ssm-incidents API calls, as an EventBridge API destination posts them.</summary>
public sealed class EventBridgeEventsTests
{
    private const string Arn = "arn:aws:ssm-incidents::111122223333:incident-record/payments/6ebcc812-85f5-b7eb-8b2f-283e4d844308";

    private static JsonObject Event(string eventName, JsonObject? request = null, JsonObject? response = null, string detailType = "AWS API Call via CloudTrail",
        string source = "aws.ssm-incidents") => new()
    {
        ["version"] = "0", ["id"] = "7bf73129-1428-4cd3-a780-95db273d1602", ["detail-type"] = detailType, ["source"] = source,
        ["account"] = "111122223333", ["time"] = "2026-11-23T10:00:00Z", ["region"] = "us-east-1", ["resources"] = new JsonArray(),
        ["detail"] = new JsonObject
        {
            ["eventVersion"] = "1.08", ["eventTime"] = "2026-11-23T10:00:01Z", ["eventSource"] = "ssm-incidents.amazonaws.com", ["eventName"] = eventName,
            ["awsRegion"] = "us-east-1", ["requestParameters"] = request, ["responseElements"] = response,
        },
    };

    private static EventBridgeParse Parse(JsonObject e) => EventBridgeEvents.Parse(Encoding.UTF8.GetBytes(e.ToJsonString()));

    [Theory]
    [InlineData("AWS API Call via CloudTrail")]
    [InlineData("Amazon API Call via CloudTrail")]
    public void StartIncident_Opens(string detailType)
    {
        var parsed = Parse(Event("StartIncident", new JsonObject { ["responsePlanArn"] = "arn:aws:ssm-incidents::111122223333:response-plan/payments" },
            new JsonObject { ["incidentRecordArn"] = Arn }, detailType));
        Assert.Equal(EventBridgeOutcome.Signal, parsed.Outcome);
        Assert.Equal(new IncidentSignal(IncidentSignalKind.Opened, Arn, "7bf73129-1428-4cd3-a780-95db273d1602", new DateTimeOffset(2026, 11, 23, 10, 0, 1, TimeSpan.Zero)),
            parsed.Signal);
    }

    [Fact]
    public void UpdateIncidentRecord_ResolvesOnlyWithStatusResolved_AndTimelineEventsUpdate()
    {
        Assert.Equal(IncidentSignalKind.Resolved, Parse(Event("UpdateIncidentRecord", new JsonObject { ["arn"] = Arn, ["status"] = "RESOLVED" })).Signal!.Kind);
        Assert.Equal(IncidentSignalKind.Updated, Parse(Event("UpdateIncidentRecord", new JsonObject { ["arn"] = Arn, ["impact"] = 2 })).Signal!.Kind);
        var timeline = Parse(Event("CreateTimelineEvent", new JsonObject { ["incidentRecordArn"] = Arn, ["eventType"] = "Custom Event" })).Signal!;
        Assert.Equal((IncidentSignalKind.TimelineEvent, Arn), (timeline.Kind, timeline.IncidentArn));
    }

    [Fact]
    public void OtherCallsAndSources_AreIgnored_NotErrors()
    {
        Assert.Equal(EventBridgeOutcome.Ignored, Parse(Event("ListIncidentRecords")).Outcome);
        Assert.Equal(EventBridgeOutcome.Ignored, Parse(Event("StartIncident", source: "aws.ec2")).Outcome);
        Assert.Equal(EventBridgeOutcome.Ignored, Parse(Event("StartIncident", detailType: "EC2 Instance State-change Notification")).Outcome);
        var failed = Event("StartIncident");
        failed["detail"]!["errorCode"] = "AccessDenied";
        Assert.Equal(EventBridgeOutcome.Ignored, Parse(failed).Outcome);
    }

    [Fact]
    public void MalformedBodies_AreMalformed()
    {
        Assert.Equal(EventBridgeOutcome.Malformed, EventBridgeEvents.Parse("{ not json"u8).Outcome);
        Assert.Equal(EventBridgeOutcome.Malformed, EventBridgeEvents.Parse("[1,2]"u8).Outcome);
        Assert.Equal(EventBridgeOutcome.Malformed, EventBridgeEvents.Parse("""{"id":"1","id":"2","detail":{}}"""u8).Outcome);
        Assert.Equal(EventBridgeOutcome.Malformed, Parse(Event("StartIncident", response: new JsonObject())).Outcome);
    }

    [Fact]
    public void TheSharedSecret_MustMatchExactly()
    {
        Assert.True(EventBridgeEvents.SecretMatches("s3cret-value", "s3cret-value"));
        Assert.False(EventBridgeEvents.SecretMatches("s3cret-valuE", "s3cret-value"));
        Assert.False(EventBridgeEvents.SecretMatches("s3cret", "s3cret-value"));
        Assert.False(EventBridgeEvents.SecretMatches(null, "s3cret-value"));
        Assert.False(EventBridgeEvents.SecretMatches("", ""));
    }
}
