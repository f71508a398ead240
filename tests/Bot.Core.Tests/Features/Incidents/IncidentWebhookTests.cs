using System.Security.Cryptography;
using System.Text;
using Bot.Core.Features.Incidents;

namespace Bot.Core.Tests.Features.Incidents;

public sealed class IncidentWebhookTests
{
    private const string Secret = "webhook-secret";
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static string Sign(string body, string secret = Secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void Signature_IsTheLowercaseHexHmacOfTheRawBody()
    {
        const string body = """{"id":"PD-1","title":"Checkout down","status":"open"}""";
        Assert.True(IncidentWebhook.SignatureMatches(Sign(body), Encoding.UTF8.GetBytes(body), Secret));
        Assert.False(IncidentWebhook.SignatureMatches(Sign(body).ToUpperInvariant().Replace("SHA256=", "sha256=", StringComparison.Ordinal), Encoding.UTF8.GetBytes(body), Secret));
        Assert.False(IncidentWebhook.SignatureMatches(Sign(body, "other"), Encoding.UTF8.GetBytes(body), Secret));
        Assert.False(IncidentWebhook.SignatureMatches(Sign(body), Encoding.UTF8.GetBytes(body + " "), Secret));
        Assert.False(IncidentWebhook.SignatureMatches(Sign(body)["sha256=".Length..], Encoding.UTF8.GetBytes(body), Secret));
        Assert.False(IncidentWebhook.SignatureMatches(null, Encoding.UTF8.GetBytes(body), Secret));
        Assert.False(IncidentWebhook.SignatureMatches(Sign(body, ""), Encoding.UTF8.GetBytes(body), ""));
    }

    [Fact]
    public void Signature_KnownAnswer()
    {
        // HMAC-SHA256 with key "key" over "The quick brown fox jumps over the lazy dog": the example HMAC references publish.
        Assert.True(IncidentWebhook.SignatureMatches("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
            "The quick brown fox jumps over the lazy dog"u8, "key"));
    }

    [Fact]
    public void Incident_FullShape_IsRead()
    {
        var parsed = IncidentWebhook.ParseIncident("""
            {"id":"PD-42","title":"Checkout 500s","service":"checkout","impact":2,"status":"resolved","url":"https://pagerduty.example.com/incidents/42",
             "openedAt":"2026-11-23T10:00:00Z","resolvedAt":"2026-11-23T11:30:00+01:00","deploymentId":"deploy-7"}
            """u8, Now);
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Problems));
        Assert.Equal(new IncidentReport("webhook", "PD-42", "Checkout 500s", "checkout", 2, ReportedStatus.Resolved, "https://pagerduty.example.com/incidents/42",
            new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 23, 10, 30, 0, TimeSpan.Zero), "deploy-7"), parsed.Report);
    }

    [Fact]
    public void Incident_UpdatedAtWithinTheClockSkew_IsAccepted() =>
        Assert.True(IncidentWebhook.ParseIncident("""{"id":"1","title":"x","status":"open","updatedAt":"2026-11-23T12:05:00Z"}"""u8, Now).IsValid);

    [Fact]
    public void Incident_MinimalShape_DefaultsImpact()
    {
        var parsed = IncidentWebhook.ParseIncident("""{"id":"a1","title":"Latency up","status":"open"}"""u8, Now);
        Assert.Equal((3, ReportedStatus.Open, (string?)null), (parsed.Report!.Impact, parsed.Report.Status, parsed.Report.Service));
    }

    [Theory]
    [InlineData("""{"title":"x","status":"open"}""", "id is required")]
    [InlineData("""{"id":"1","title":"x","status":"closed"}""", "status must be")]
    [InlineData("""{"id":"1","title":"x","status":"open","impact":7}""", "impact must be")]
    [InlineData("""{"id":"1","title":"x","status":"open","impact":"high"}""", "impact must be")]
    [InlineData("""{"id":"1","title":"x","status":"open","openedAt":"yesterday"}""", "openedAt must be")]
    [InlineData("""{"id":"1","title":"x","status":"open","url":"javascript:alert(1)"}""", "url must be")]
    [InlineData("""{"id":1,"title":"x","status":"open"}""", "id must be")]
    [InlineData("""[1]""", "not a JSON object")]
    [InlineData("""{ nope""", "not a JSON object")]
    [InlineData("""{"id":"1","id":"2","title":"x","status":"open"}""", "not a JSON object")]
    // A report from the future would outrank every later one and freeze the incident (the clock is 12:00).
    [InlineData("""{"id":"1","title":"x","status":"open","updatedAt":"2027-01-01T00:00:00Z"}""", "updatedAt is more than 5 minutes ahead")]
    [InlineData("""{"id":"1","title":"x","status":"open","updatedAt":"2026-11-23T12:05:01Z"}""", "updatedAt is more than 5 minutes ahead")]
    public void Incident_BadShapes_SayWhatIsWrong(string body, string problem)
    {
        var parsed = IncidentWebhook.ParseIncident(Encoding.UTF8.GetBytes(body), Now);
        Assert.False(parsed.IsValid);
        Assert.Contains(parsed.Problems, p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Deployment_IsRead_AndEveryFieldIsRequired()
    {
        var parsed = IncidentWebhook.ParseDeployment("""{"id":"deploy-7","service":"checkout","version":"1.42.0","deployedAt":"2026-11-23T09:55:00Z","outcome":"success"}"""u8);
        Assert.Equal(new DeploymentReport("deploy-7", "checkout", "1.42.0", new DateTimeOffset(2026, 11, 23, 9, 55, 0, TimeSpan.Zero), "success"), parsed.Report);

        var missing = IncidentWebhook.ParseDeployment("""{"id":"deploy-7","outcome":"maybe"}"""u8);
        Assert.Equal(["service is required", "version is required", "deployedAt is required", "outcome must be one of success, failure, rolled-back"], missing.Problems);
    }
}
