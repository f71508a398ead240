using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Core.Features.Escalation;
using Bot.Core.Features.Incidents;
using Bot.Core.Features.Reviews;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Bot.IncidentManager;
using Bot.Testing;
using Bot.Testing.Conformance;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Host.Tests.Incidents;

/// <summary>
/// Incident Manager both ways through the real host: SNS and EventBridge pushes, the reconciliation backstop, and an
/// incident started from an escalation, against a loopback <c>ssm-incidents</c> that checks every SigV4 signature and
/// a loopback SNS that signs its deliveries. Chat is the playground.
/// </summary>
public abstract class IncidentManagerHostTests(TestProvider provider) : IAsyncLifetime
{
    private const string EventBridgeSecret = "eventbridge-shared-secret-0123456789";
    private const string PaymentsPlan = $"arn:aws:ssm-incidents::{FakeSsmIncidents.Account}:response-plan/payments";

    private TestDatabase _database = null!;
    private FakeSsmIncidents _aws = null!;
    private FakeSns _sns = null!;
    private BotAppFactory _host = null!;
    private HttpClient _http = null!;
    private PlaygroundDriver _chat = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(provider);
        _aws = await FakeSsmIncidents.StartAsync();
        _sns = await FakeSns.StartAsync();
        var settings = new Dictionary<string, string?>(_sns.Settings)
        {
            ["IncidentManager:Region"] = FakeSsmIncidents.Region,
            ["IncidentManager:ServiceUrl"] = _aws.ServiceUrl.AbsoluteUri,
            ["IncidentManager:EventBridgeSecret"] = EventBridgeSecret,
            // Hangfire would otherwise run the reconciliation at the next minute, in the middle of a test; the tests run it themselves.
            ["IncidentManager:ReconcileInterval"] = "1.00:00:00",
            // Payments has a response plan: its escalations can start incidents, and incidents under it are Payments'.
            ["Directory:Teams:0:ResponsePlanArn"] = PaymentsPlan,
        };
        _host = new BotAppFactory(_database, settings, services: s => s.AddSingleton<IAwsCredentialsSource, StaticAwsCredentials>());
        _aws.Clock = () => _host.Clock.GetUtcNow();
        _http = _host.CreateClient();
        _chat = new PlaygroundDriver(_host.Playground());
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _sns.DisposeAsync();
        await _aws.DisposeAsync();
        await _database.DisposeAsync();
    }

    private string NewIncident(string title = "Checkout latency above SLO") =>
        _aws.AddIncident("payments", title, 2, _host.Clock.GetUtcNow().AddMinutes(-3));

    private Task<List<Incident>> StoredAsync() => _host.WithDbAsync(db => db.Incidents.AsNoTracking().ToListAsync());

    private Task<SeenMessage> CardAsync(string title) => _chat.TeamMessageAsync("payments", m => m.Text.Contains(title) && m.Text.Contains("Incident INC-"), "the incident card");

    private static JsonObject CloudTrailEvent(string id, string eventName, JsonObject request, JsonObject? response = null) => new()
    {
        ["version"] = "0", ["id"] = id, ["detail-type"] = "AWS API Call via CloudTrail", ["source"] = "aws.ssm-incidents",
        ["account"] = FakeSsmIncidents.Account, ["time"] = "2026-11-23T10:00:00Z", ["region"] = FakeSsmIncidents.Region, ["resources"] = new JsonArray(),
        ["detail"] = new JsonObject
        {
            ["eventVersion"] = "1.08", ["eventTime"] = "2026-11-23T10:00:00Z", ["eventSource"] = "ssm-incidents.amazonaws.com", ["eventName"] = eventName,
            ["awsRegion"] = FakeSsmIncidents.Region, ["requestParameters"] = request, ["responseElements"] = response,
        },
    };

    private Task<HttpResponseMessage> EventBridgeAsync(JsonObject e, string? secret = EventBridgeSecret) => EventBridgeAsync(e.ToJsonString(), secret);

    private async Task<HttpResponseMessage> EventBridgeAsync(string body, string? secret = EventBridgeSecret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, IncidentManagerEndpoints.EventBridgePath) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (secret is not null) request.Headers.TryAddWithoutValidation("X-Bot-Secret", secret);
        return await _http.SendAsync(request);
    }

    [Fact]
    public async Task Sns_Notification_ReadsTheRecord_PostsTheCardToTheTeam_AndADuplicateMessageIdHasOneEffect()
    {
        var arn = NewIncident();
        var message = _sns.Notification("msg-1", $$"""{"arn":"{{arn}}","status":"OPEN"}""");
        Assert.Equal(HttpStatusCode.OK, (await FakeSns.DeliverAsync(_http, message)).StatusCode);
        var card = await CardAsync("Checkout latency above SLO");
        Assert.Contains("Team: Payments", card.Text);
        Assert.Contains("Impact: 2 · High", card.Text);
        Assert.Contains("Reported by: AWS Incident Manager", card.Text);
        Assert.Contains(Uri.EscapeDataString(arn), card.Button(IncidentMessages.Open).Url);

        var duplicate = await FakeSns.DeliverAsync(_http, message);
        Assert.Equal(HttpStatusCode.OK, duplicate.StatusCode);
        Assert.Contains("duplicate", await duplicate.Content.ReadAsStringAsync());
        Assert.Single(_aws.Of("getIncidentRecord"));
        var stored = Assert.Single(await StoredAsync());
        Assert.Equal(AwsIncidentManager.SourceName, stored.Source);
        Assert.Equal(arn, stored.ExternalId);
        Assert.Equal("payments", stored.TeamKey);
        Assert.All(_aws.Calls, c => Assert.Null(c.SignatureProblem));
    }

    [Fact]
    public async Task Sns_SubscriptionConfirmation_VisitsTheVerifiedSubscribeUrl()
    {
        var response = await FakeSns.DeliverAsync(_http, _sns.SubscriptionConfirmation());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var visit = Assert.Single(_sns.Confirmations);
        Assert.Contains("Action=ConfirmSubscription", visit);
        Assert.Contains("Token=2336412f37fb", visit);
    }

    [Fact]
    public async Task Sns_Refusals_StoreNothing()
    {
        var arn = NewIncident();
        var tampered = _sns.Notification("msg-2", $$"""{"arn":"{{arn}}"}""");
        tampered["Message"] = $$"""{"arn":"{{arn}}","status":"RESOLVED"}""";
        Assert.Equal(HttpStatusCode.Unauthorized, (await FakeSns.DeliverAsync(_http, tampered)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await FakeSns.DeliverAsync(_http, _sns.Notification("msg-3", arn, version: "3"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await FakeSns.DeliverAsync(_http, _sns.Notification("msg-4", arn, topic: "arn:aws:sns:us-east-1:111122223333:someone-else"))).StatusCode);

        // The same loopback server under another name is not an allowed certificate host: refused before any fetch.
        var fetches = _sns.CertificateFetches;
        var elsewhere = new Uri($"http://localhost:{_sns.Address.Port}/SimpleNotificationService-test.pem");
        Assert.Equal(HttpStatusCode.Unauthorized, (await FakeSns.DeliverAsync(_http, _sns.Notification("msg-5", arn, certificateUrl: elsewhere))).StatusCode);
        Assert.Equal(fetches, _sns.CertificateFetches);

        using var malformed = new HttpRequestMessage(HttpMethod.Post, IncidentManagerEndpoints.SnsPath) { Content = new StringContent("{\"Type\":") };
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.SendAsync(malformed)).StatusCode);
        Assert.Empty(await StoredAsync());
        Assert.Empty(_aws.Of("getIncidentRecord"));
    }

    [Fact]
    public async Task EventBridge_StartAndResolve_OneStream_WithRefusalsAndIgnoredCalls()
    {
        var arn = NewIncident("Card payments failing");
        var started = CloudTrailEvent("evt-1", "StartIncident", new JsonObject { ["responsePlanArn"] = PaymentsPlan }, new JsonObject { ["incidentRecordArn"] = arn });
        Assert.Equal(HttpStatusCode.OK, (await EventBridgeAsync(started)).StatusCode);
        var card = await CardAsync("Card payments failing");
        Assert.Equal(HttpStatusCode.OK, (await EventBridgeAsync(started)).StatusCode);
        Assert.Single(_aws.Of("getIncidentRecord"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await EventBridgeAsync(started, "wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await EventBridgeAsync(started, null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await EventBridgeAsync("{\"id\":")).StatusCode);
        var listing = await EventBridgeAsync(CloudTrailEvent("evt-2", "ListIncidentRecords", []));
        Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
        Assert.Contains("ignored", await listing.Content.ReadAsStringAsync());

        _aws.Resolve(arn, _host.Clock.GetUtcNow().AddMinutes(20));
        var resolved = CloudTrailEvent("evt-3", "UpdateIncidentRecord", new JsonObject { ["arn"] = arn, ["status"] = "RESOLVED" });
        Assert.Equal(HttpStatusCode.OK, (await EventBridgeAsync(resolved)).StatusCode);
        await _chat.TeamMessageAsync("payments", m => m.Id == card.Id && m.Text.Contains("✅ Resolved"), "the resolved card");
        await _chat.TeamMessageAsync("payments", m => m.Id == card.Id && m.Text.Contains("Post-incident review PIR-"), "the card naming the review");
        Assert.Equal(IncidentStatus.Resolved, Assert.Single(await StoredAsync()).Status);
    }

    [Fact]
    public async Task Review_CopiesTheToolsTimeline_ShowsEditsThere_AndIsLinkedFromTheIncidentWhenComplete()
    {
        var arn = NewIncident("Card payments failing");
        var opened = _host.Clock.GetUtcNow().AddMinutes(-2).ToUnixTimeSeconds();
        _aws.AddTimelineEvent(arn, "responder-1", opened, "Custom Event", "\"Failover to eu-west-2 started\"");
        var started = CloudTrailEvent("evt-r1", "StartIncident", new JsonObject { ["responsePlanArn"] = PaymentsPlan }, new JsonObject { ["incidentRecordArn"] = arn });
        Assert.Equal(HttpStatusCode.OK, (await EventBridgeAsync(started)).StatusCode);
        var card = await CardAsync("Card payments failing");
        _aws.Resolve(arn, _host.Clock.GetUtcNow().AddMinutes(20));
        Assert.Equal(HttpStatusCode.OK, (await EventBridgeAsync(CloudTrailEvent("evt-r2", "UpdateIncidentRecord", new JsonObject { ["arn"] = arn, ["status"] = "RESOLVED" }))).StatusCode);
        await _chat.TeamMessageAsync("payments", m => m.Id == card.Id && m.Text.Contains("Post-incident review PIR-"), "the card naming the review");

        var review = await Eventually.GetAsync(() => _host.WithDbAsync(db => db.Reviews.Include(r => r.Timeline).AsNoTracking().FirstOrDefaultAsync()),
            r => r is not null && r.Timeline.Any(t => t.Source == "AWS Incident Manager"), "the review with the tool's timeline");
        Assert.Contains(review!.Timeline, t => t.Text.StartsWith("Failover to eu-west-2 started", StringComparison.Ordinal) && !t.Edited);

        // A responder edits the event in the console; the draft, read again the next morning, shows it edited.
        _aws.EditTimelineEvent(arn, "responder-1", "\"Failover to eu-west-2 finished\"");
        _host.Clock.Advance(TimeSpan.FromDays(1));
        var runner = _host.Get<ReminderRunner>();
        while (await runner.RunDueAsync(CancellationToken.None) > 0) { }
        var draft = await _chat.DirectMessageAsync("bea", m => m.Text.Contains("Failover to eu-west-2 finished") && m.Text.Contains("(edited)"), "the draft showing the edit");

        await _host.WithDbAsync(async db =>
        {
            foreach (var section in new[] { "summary", "impact", "detection", "factors", "learnings" })
                db.ReviewContributions.Add(new ReviewContribution { ReviewId = review.Id, Section = section, By = "bea", ByName = "Bea Okafor", Text = "Written", At = _host.Clock.GetUtcNow() });
            return await db.SaveChangesAsync();
        });
        await _chat.ClickAsync("bea", draft, ReviewMessages.Complete);
        var related = await Eventually.GetAsync(() => Task.FromResult(_aws.RelatedItems.GetValueOrDefault(arn)?.ToArray() ?? []), r => r.Length > 0, "the review linked in Incident Manager");
        var item = Assert.Single(related);
        Assert.Equal("ANALYSIS", item["identifier"]!["type"]!.GetValue<string>());
        Assert.StartsWith($"https://bot.example.com/links/reviews/{review.Id}?exp=", item["identifier"]!["value"]!["url"]!.GetValue<string>());
        Assert.Equal($"Post-incident review PIR-{review.Id}", item["title"]!.GetValue<string>());
        await _chat.TeamMessageAsync("payments", m => m.Id == card.Id && m.Text.Contains("is complete"), "the card linking the completed review");
    }

    [Fact]
    public async Task Reconciliation_PicksUpWhatNoPushDelivered_AndDoesNotDuplicateWhatOneDid()
    {
        var pushed = NewIncident("Pushed by SNS");
        Assert.Equal(HttpStatusCode.OK, (await FakeSns.DeliverAsync(_http, _sns.Notification("msg-9", pushed))).StatusCode);
        await CardAsync("Pushed by SNS");
        var missed = NewIncident("Nobody pushed this one");

        var reconciliation = _host.Get<IncidentReconciliation>();
        var first = await reconciliation.RunAsync(CancellationToken.None);
        Assert.Equal(1, first.Created);
        await CardAsync("Nobody pushed this one");
        Assert.Equal(2, (await StoredAsync()).Count);
        Assert.Equal(1, (await _chat.TeamMessagesAsync("payments")).Count(m => m.Text.Contains("Pushed by SNS") && m.Text.Contains("Incident INC-")));

        // Resolved in the console while both pushes were lost: the next run sees it, once.
        _aws.Resolve(missed, _host.Clock.GetUtcNow().AddMinutes(5));
        var second = await reconciliation.RunAsync(CancellationToken.None);
        Assert.Equal((0, 1), (second.Created, second.Changed));
        Assert.Equal(IncidentStatus.Resolved, (await StoredAsync()).Single(i => i.ExternalId == missed).Status);
        var third = await reconciliation.RunAsync(CancellationToken.None);
        Assert.Equal((0, 0), (third.Created, third.Changed));

        // A change a push stored with its last-modified time is not undone by the listing's older view, and a change
        // no push delivered (a new title) is read in full and applied.
        _aws.Incidents[pushed]["title"] = "Pushed by SNS: now on all card types";
        _aws.Incidents[pushed]["lastModifiedTime"] = _host.Clock.GetUtcNow().AddMinutes(10).ToUnixTimeMilliseconds() / 1000.0;
        var fourth = await reconciliation.RunAsync(CancellationToken.None);
        Assert.Equal((0, 1), (fourth.Created, fourth.Changed));
        Assert.Equal("Pushed by SNS: now on all card types", (await StoredAsync()).Single(i => i.ExternalId == pushed).Title);

        var cursor = await _host.WithDbAsync(db => db.SyncCursors.SingleAsync());
        Assert.Equal(IncidentReconciliation.CursorName, cursor.Name);
        var listings = _aws.Of("listIncidentRecords").Select(c => c.Body!["filters"]![0]!["key"]!.GetValue<string>()).ToArray();
        Assert.Equal(["creationTime", "status", "creationTime", "status", "creationTime", "status", "creationTime", "status"], listings);
    }

    [Fact]
    public async Task Reconciliation_IsAHangfireRecurringJob_EveryMinuteByDefault_AndNotScheduledWithoutARegion()
    {
        using (var connection = _host.Get<JobStorage>().GetConnection())
            Assert.Equal("0 0 * * *", Assert.Single(connection.GetRecurringJobs(), j => j.Id == IncidentReconciliation.CursorName).Cron);

        await using var database = await TestDatabase.CreateAsync(provider);
        var settings = new Dictionary<string, string?> { ["IncidentManager:Region"] = FakeSsmIncidents.Region, ["IncidentManager:ServiceUrl"] = _aws.ServiceUrl.AbsoluteUri };
        await using (var host = new BotAppFactory(database, settings, services: s => s.AddSingleton<IAwsCredentialsSource, StaticAwsCredentials>()))
        {
            using var connection = host.Get<JobStorage>().GetConnection();
            Assert.Equal("* * * * *", Assert.Single(connection.GetRecurringJobs(), j => j.Id == IncidentReconciliation.CursorName).Cron);
        }
        // The same storage on a host without Incident Manager: the job is removed, not left failing every minute.
        await using (var host = new BotAppFactory(database))
        {
            using var connection = host.Get<JobStorage>().GetConnection();
            Assert.DoesNotContain(connection.GetRecurringJobs(), j => j.Id == IncidentReconciliation.CursorName);
        }
    }

    [Fact]
    public async Task StartIncident_FromAnEscalation_LinksBothWays_WritesDecisionsToTheTimeline_AndResolvesIt()
    {
        var s = new ScenarioContext(_chat, _host);
        var escalation = await EscalationScenarios.RaiseAsync(s);
        Assert.Contains(escalation.Buttons, b => b.ActionId == EscalationMessages.StartIncident);

        // Refused first (the role lacks the permission): nothing is started, the person is told in plain words, and
        // once the permission is granted the same button starts it.
        _aws.FailNext(403, "AccessDeniedException", "User is not authorized to perform: ssm-incidents:StartIncident");
        await _chat.ClickAsync("bea", escalation, EscalationMessages.StartIncident);
        await _chat.PrivateReplyAsync("bea", m => m.Text.Contains("could not start an incident") && m.Text.Contains("IAM"), "the refusal in plain words");
        Assert.Empty(await StoredAsync());
        await _chat.ClickAsync("bea", escalation, EscalationMessages.StartIncident);
        await _chat.PrivateReplyAsync("bea", m => m.Text.Contains("is open in AWS Incident Manager"), "the reply once the incident is open");
        var withIncident = await _chat.TeamMessageAsync("payments", m => m.Id == escalation.Id && m.Text.Contains("Incident INC-"), "the escalation showing its incident");
        Assert.DoesNotContain(withIncident.Buttons, b => b.ActionId == EscalationMessages.StartIncident);
        await CardAsync("Checkout fails for card payments");

        var start = _aws.Of("startIncident").Last().Body!;
        Assert.Equal(2, _aws.Of("startIncident").Count());
        Assert.Equal(PaymentsPlan, start["responsePlanArn"]!.GetValue<string>());
        Assert.Equal("Checkout fails for card payments", start["title"]!.GetValue<string>());
        Assert.Equal(1, start["impact"]!.GetValue<int>());
        Assert.Equal("chat.ops-culture-bot", start["triggerDetails"]!["source"]!.GetValue<string>());
        Assert.Contains("Ana Souza", start["triggerDetails"]!["rawData"]!.GetValue<string>());

        // The related item links back to the escalation through the bot (a signed link; the playground has no links of its own).
        var related = Assert.Single(start["relatedItems"]!.AsArray())!;
        Assert.Equal("OTHER", related["identifier"]!["type"]!.GetValue<string>());
        var link = new Uri(related["identifier"]!["value"]!["url"]!.GetValue<string>());
        Assert.Equal("https://bot.example.com/go/escalations/1", link.GetLeftPart(UriPartial.Path));
        var page = await _http.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Checkout fails for card payments", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(link.AbsolutePath + "?sig=" + new string('0', 32))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/go/escalations/2" + link.Query)).StatusCode);
        var installation = await _host.Get<Bot.Core.Storage.InstallationIdentity>().IdAsync(CancellationToken.None);
        Assert.Equal($"{installation}-escalation-1-start", start["clientToken"]!.GetValue<string>());
        Assert.Equal(32, installation.Length);

        var stored = await _host.WithDbAsync(db => db.Escalations.AsNoTracking().SingleAsync());
        var incident = Assert.Single(await StoredAsync());
        Assert.Equal(incident.Id, stored.IncidentId);
        Assert.Equal(stored.Id, incident.EscalationId);
        Assert.Equal("payments", incident.TeamKey);

        await _chat.ClickAsync("kim", withIncident, EscalationMessages.Acknowledge);
        await _chat.PrivateReplyAsync("kim", m => m.Text.Contains("You acknowledged"), "the acknowledgement");
        await Eventually.TrueAsync(() => Task.FromResult(_aws.Of("createTimelineEvent").Any()), "the acknowledgement on the incident's timeline");
        var timeline = Assert.Single(_aws.Of("createTimelineEvent")).Body!;
        Assert.Equal("Custom Event", timeline["eventType"]!.GetValue<string>());
        Assert.Equal(incident.ExternalId, timeline["incidentRecordArn"]!.GetValue<string>());
        Assert.Contains("acknowledged in chat by Kim Laine", JsonNode.Parse(timeline["eventData"]!.GetValue<string>())!.GetValue<string>());

        var acknowledged = await _chat.TeamMessageAsync("payments", m => m.Id == escalation.Id && m.Text.Contains("Acknowledged by Kim Laine"), "the acknowledged escalation");
        await _chat.TeamMessageAsync("payments", m => m.Text.Contains("Incident INC-") && m.Text.Contains("Kim Laine is on it"), "the incident card showing Kim on it");
        await _chat.ClickAsync("kim", acknowledged, EscalationMessages.Resolve);
        var form = await _chat.FormAsync("kim", EscalationForms.ResolveId);
        Assert.True((await _chat.SubmitAsync("kim", form, new Dictionary<string, string?> { ["outcome"] = "Rolled back release 42" })).Accepted);
        await Eventually.TrueAsync(async () => (await StoredAsync()).Single().Status == IncidentStatus.Resolved, "the incident resolved through Incident Manager");
        var resolve = Assert.Single(_aws.Of("updateIncidentRecord"), c => c.Body!["status"] is not null).Body!;
        Assert.Equal("RESOLVED", resolve["status"]!.GetValue<string>());
        await _chat.TeamMessageAsync("payments", m => m.Text.Contains("Resolved INC-") && m.Text.Contains("Post-incident review PIR-"),
            "the incident card naming the review");
        Assert.Equal(2, _aws.Of("startIncident").Count());
    }
}

public sealed class IncidentManagerHostOnSqlite() : IncidentManagerHostTests(TestProvider.Sqlite);

public sealed class IncidentManagerHostOnPostgres() : IncidentManagerHostTests(TestProvider.Postgres);
