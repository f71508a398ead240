using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Channels.Slack;
using Bot.Core.Features.Escalation;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Bot.Testing;
using Bot.Testing.Conformance;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Host.Tests.Slack;

/// <summary>Slack's endpoints through the real host, against a loopback fake of the Web API.</summary>
public sealed class SlackEndpointTests : IAsyncLifetime
{
    private FakeSlackApi _slack = null!;
    private TestDatabase _database = null!;
    private BotAppFactory _host = null!;
    private HttpClient _http = null!;
    private SlackSigner _signer = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackApi.StartAsync();
        _database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        _host = new BotAppFactory(_database, SlackDriver.Settings(_slack));
        _http = _host.CreateClient();
        _signer = new SlackSigner(SlackSigner.Secret, () => _host.Clock.GetUtcNow());
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
        await _slack.DisposeAsync();
    }

    private static IEnumerable<KeyValuePair<string, string>> Escalate(string user = "U0ANA00005") =>
    [
        new("command", "/escalate"), new("text", "checkout is failing"), new("user_id", user), new("user_name", "ana"),
        new("channel_id", SlackDriver.GeneralChannel), new("trigger_id", "1.2.trigger"),
    ];

    [Fact]
    public async Task WrongSignature_Answers401WithNoDetail_AndDoesNothing()
    {
        var request = new SlackSigner("not-the-secret", () => _host.Clock.GetUtcNow()).Form("/slack/commands", Escalate());
        var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("signature", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secret", body, StringComparison.OrdinalIgnoreCase);
        await Task.Delay(200);
        Assert.Empty(_slack.Calls);
    }

    [Fact]
    public async Task StaleTimestamp_Answers401()
    {
        var body = await new FormUrlEncodedContent(Escalate()).ReadAsStringAsync();
        var stale = _host.Clock.GetUtcNow().AddMinutes(-6).ToUnixTimeSeconds();
        var response = await _http.SendAsync(_signer.Signed("/slack/commands", body, "application/x-www-form-urlencoded", stale));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task MissingSignatureHeaders_Answer401()
    {
        var response = await _http.PostAsync("/slack/commands", new FormUrlEncodedContent(Escalate()));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task OversizedBody_Answers413()
    {
        var response = await _http.SendAsync(_signer.Signed("/slack/events", new string(' ', 300 * 1024), "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task SslCheckProbe_Answers200()
    {
        var response = await _http.PostAsync("/slack/commands", new FormUrlEncodedContent([new("ssl_check", "1"), new("token", "x")]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(_slack.Calls);
    }

    [Fact]
    public async Task UrlVerification_AnswersTheChallenge()
    {
        var response = await _http.SendAsync(_signer.Json("/slack/events", """{"token":"t","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/slack/interactions", "payload=not-json")]
    [InlineData("/slack/interactions", "nothing=here")]
    [InlineData("/slack/commands", "text=no+command")]
    public async Task SignedButMalformed_Answers400(string path, string body)
    {
        var response = await _http.SendAsync(_signer.Signed(path, body, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ViewClosed_IsAcknowledged()
    {
        var payload = """{"type":"view_closed","user":{"id":"U0ANA00005"},"view":{"id":"V1","callback_id":"escalation.raise"},"is_cleared":false}""";
        var response = await _http.SendAsync(_signer.Form("/slack/interactions", [new("payload", payload)]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Escalate_OpensTheModalWithTheTrigger_AndInvalidSubmissionAnswersErrorsOnTheBlock()
    {
        var response = await _http.SendAsync(_signer.Form("/slack/commands", Escalate()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var open = await Eventually.GetAsync(() => Task.FromResult(_slack.Of("views.open").FirstOrDefault()), c => c is not null, "views.open");
        Assert.Equal("1.2.trigger", open!.Body.Str("trigger_id"));
        Assert.Equal($"Bearer {FakeSlackApi.Token}", open.Authorization);

        var view = open.Body["view"]!.AsObject();
        var payload = new JsonObject
        {
            ["type"] = "view_submission",
            ["user"] = new JsonObject { ["id"] = "U0ANA00005" },
            ["view"] = new JsonObject
            {
                ["id"] = "V1", ["callback_id"] = view.Str("callback_id"), ["private_metadata"] = view.Str("private_metadata"),
                ["state"] = JsonNode.Parse("""{"values":{"summary":{"value":{"type":"plain_text_input","value":null}}}}"""),
            },
        };
        var submit = await _http.SendAsync(_signer.Form("/slack/interactions", [new("payload", payload.ToJsonString())]));
        Assert.Equal(HttpStatusCode.OK, submit.StatusCode);
        var answer = JsonNode.Parse(await submit.Content.ReadAsStringAsync())!;
        Assert.Equal("errors", answer.Str("response_action"));
        Assert.NotNull(answer["errors"]!["summary"]);
        Assert.Equal(0, await _host.WithDbAsync(db => db.Escalations.CountAsync()));
    }

    [Fact]
    public async Task RetriedEvent_HasItsEffectOnce_AlsoAfterARestart()
    {
        const string body = """{"token":"t","team_id":"T0TEAM","api_app_id":"A0BOT","type":"event_callback","event_id":"Ev0HOME1","event_time":1700000000,"event":{"type":"app_home_opened","user":"U0BEA00002","channel":"D0BEA","tab":"home","event_ts":"1700000000.1"}}""";
        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(_signer.Json("/slack/events", body))).StatusCode);
        var retry = _signer.Json("/slack/events", body);
        retry.Headers.Add("X-Slack-Retry-Num", "1");
        retry.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(retry)).StatusCode);

        var published = await Eventually.GetAsync(() => Task.FromResult(_slack.Of("views.publish").ToArray()), c => c.Length > 0, "views.publish");
        Assert.Equal("U0BEA00002", published[0].Body.Str("user_id"));
        Assert.Contains("Hello Bea Okafor", published[0].Body["view"]!.ToJsonString());

        // A new host on the same database still knows the event.
        await using (var restarted = new BotAppFactory(_database, SlackDriver.Settings(_slack)))
        {
            var again = new SlackSigner(SlackSigner.Secret, () => restarted.Clock.GetUtcNow()).Json("/slack/events", body);
            again.Headers.Add("X-Slack-Retry-Num", "2");
            Assert.Equal(HttpStatusCode.OK, (await restarted.CreateClient().SendAsync(again)).StatusCode);
        }
        await Task.Delay(300);
        Assert.Single(_slack.Of("views.publish"));
        Assert.Equal(1, await _host.WithDbAsync(db => db.InboundDeliveries.CountAsync()));
    }

    [Fact]
    public async Task AppMention_AnswersWithHelp()
    {
        const string body = """{"type":"event_callback","event_id":"Ev0MENTION","event":{"type":"app_mention","user":"U0KIM00003","channel":"C0PAYMENTS","text":"<@U0BOT> hi","ts":"1.1"}}""";
        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(_signer.Json("/slack/events", body))).StatusCode);
        var reply = await Eventually.GetAsync(() => Task.FromResult(_slack.Of("chat.postEphemeral").FirstOrDefault()), c => c is not null, "help");
        Assert.Equal("U0KIM00003", reply!.Body.Str("user"));
        Assert.Contains("/escalate", reply.Body["blocks"]!.ToJsonString());
    }

    [Fact]
    public async Task RateLimited_PostIsRetriedAfterRetryAfter_ThenSucceeds_Once()
    {
        _slack.RateLimitNext("chat.postMessage", 1);
        var driver = new SlackDriver(_host, _http, _slack);
        await driver.CommandAsync("ana", "/escalate checkout is failing");
        var form = await driver.FormAsync("ana", EscalationForms.RaiseId);
        Assert.True((await driver.SubmitAsync("ana", form, EscalationScenarios.ValidForm())).Accepted);
        var limited = await Eventually.GetAsync(() => Task.FromResult(_slack.Of("chat.postMessage").FirstOrDefault(c => c.Reply is null)), c => c is not null, "the 429");
        var channel = limited!.Body.Str("channel");
        int PostsTo() => _slack.Of("chat.postMessage").Count(c => c.Body.Str("channel") == channel);

        // The retry waits for Retry-After on the host's clock: not a moment before it has passed.
        await Task.Delay(300);
        _host.Clock.Advance(TimeSpan.FromMilliseconds(900));
        await Task.Delay(300);
        Assert.Equal(1, PostsTo());
        _host.Clock.Advance(TimeSpan.FromMilliseconds(100));
        await Eventually.TrueAsync(() => Task.FromResult(PostsTo() == 2), "the retried post");

        var shown = channel == "C0PAYMENTS" ? await driver.TeamMessagesAsync("payments") : await driver.DirectMessagesAsync("bea");
        Assert.Single(shown);
        await Task.Delay(300);
        Assert.Equal(2, PostsTo());
    }

    [Fact]
    public async Task OkFalse_IsATypedErrorCarryingSlacksCode()
    {
        _slack.FailNext("chat.postMessage", "internal_error");
        await using var scope = _host.Services.CreateAsyncScope();
        var api = scope.ServiceProvider.GetRequiredService<SlackApiClient>();
        var error = await Assert.ThrowsAsync<SlackApiException>(() => api.PostMessageAsync("C0NOWHERE", [], "text", CancellationToken.None));
        Assert.Equal(("chat.postMessage", "internal_error"), (error.Method, error.Error));
    }

    [Theory]
    [InlineData("channel_not_found")]
    [InlineData("not_in_channel")]
    [InlineData("is_archived")]
    [InlineData("invalid_auth")]
    [InlineData("account_inactive")]
    [InlineData("token_revoked")]
    [InlineData("missing_scope")]
    public async Task OkFalse_ThatNoRetryCanFix_IsPermanent_SoAReminderGivesUp(string code)
    {
        _slack.FailNext("chat.postMessage", code);
        await using var scope = _host.Services.CreateAsyncScope();
        var api = scope.ServiceProvider.GetRequiredService<SlackApiClient>();
        var error = await Assert.ThrowsAsync<SlackPermanentException>(() => api.PostMessageAsync("C0NOWHERE", [], "text", CancellationToken.None));
        Assert.Equal(("chat.postMessage", code), (error.Method, error.Error));
        Assert.IsAssignableFrom<Bot.Core.Conversation.ChannelUnavailableException>(error);
    }

    [Fact]
    public async Task OkFalse_OnAReminder_ReleasesItForRetry_AndTheEffectStillHappensOnce()
    {
        _slack.FailNext("chat.postMessage", "internal_error");
        var driver = new SlackDriver(_host, _http, _slack);
        await driver.CommandAsync("ana", "/escalate checkout is failing");
        var form = await driver.FormAsync("ana", EscalationForms.RaiseId);
        Assert.True((await driver.SubmitAsync("ana", form, EscalationScenarios.ValidForm())).Accepted);
        await Eventually.TrueAsync(() => Task.FromResult(_slack.Of("chat.postMessage").Any(c => c.Reply is null)), "the failed post");

        // The failed reminder was released; the sweep (or Hangfire's retry) performs it again.
        var runner = _host.Get<Bot.Core.Scheduling.ReminderRunner>();
        await Eventually.TrueAsync(async () =>
        {
            await runner.RunDueAsync(CancellationToken.None);
            return (await driver.TeamMessagesAsync("payments")).Count == 1 && (await driver.DirectMessagesAsync("bea")).Count == 1;
        }, "the channel post and the page");
        Assert.Single(_slack.Of("chat.postMessage"), c => c.Reply is null);
        Assert.Single(await driver.TeamMessagesAsync("payments"));
        Assert.Single(await driver.DirectMessagesAsync("bea"));
    }

    [Fact]
    public async Task OkFalse_ForGood_OnAReminder_GivesUpWithTheReason_InsteadOfRetryingForever()
    {
        // The bot was removed from Payments' channel.
        _slack.FailNext("chat.postMessage", "channel_not_found", body => body.Str("channel") == "C0PAYMENTS");
        var driver = new SlackDriver(_host, _http, _slack);
        await driver.CommandAsync("ana", "/escalate checkout is failing");
        var form = await driver.FormAsync("ana", EscalationForms.RaiseId);
        Assert.True((await driver.SubmitAsync("ana", form, EscalationScenarios.ValidForm())).Accepted);
        await Eventually.TrueAsync(() => Task.FromResult(_slack.Of("chat.postMessage").Any(c => c.Reply is null)), "the refused post");

        var runner = _host.Get<Bot.Core.Scheduling.ReminderRunner>();
        var failed = await Eventually.GetAsync(async () =>
        {
            await runner.RunDueAsync(CancellationToken.None);
            return await _host.WithDbAsync(db => db.Reminders.Where(r => r.Status == Bot.Core.Scheduling.ReminderStatus.Failed).ToListAsync());
        }, f => f.Count == 1, "the reminder that gave up");
        Assert.Contains("channel_not_found", failed[0].LastError);
        _host.Clock.Advance(TimeSpan.FromMinutes(10));
        await runner.RunDueAsync(CancellationToken.None);
        Assert.Single(_slack.Of("chat.postMessage"), c => c.Reply is null);

        // Visible where people look: the dashboard's failed jobs, and Payments' manager (Lee) in a direct message.
        var dashboard = _host.Get<Hangfire.JobStorage>().GetMonitoringApi().FailedJobs(0, 50);
        Assert.Contains(dashboard, j => j.Value.ExceptionMessage.Contains($"Reminder {failed[0].Id}", StringComparison.Ordinal)
            && j.Value.ExceptionMessage.Contains("channel_not_found", StringComparison.Ordinal));
        var notice = await Eventually.GetAsync(async () =>
        {
            await runner.RunDueAsync(CancellationToken.None);
            return _slack.Of("chat.postMessage").Where(c => c.Body.Str("channel") == "DU0LEE00004" && c.Body.ToJsonString().Contains("I cannot post")).ToList();
        }, n => n.Count > 0, "the notice to Lee");
        Assert.Single(notice);
    }

    [Fact]
    public async Task TheSameViewSubmittedTwice_RaisesOneEscalation_ButAViewAnsweredWithErrorsCanBeSubmittedAgain()
    {
        var driver = new SlackDriver(_host, _http, _slack);
        await driver.CommandAsync("ana", "/escalate checkout is failing");
        var form = await driver.FormAsync("ana", EscalationForms.RaiseId);
        var invalid = EscalationScenarios.ValidForm();
        invalid["summary"] = "";
        Assert.False((await driver.SubmitAsync("ana", form, invalid)).Accepted);
        Assert.True((await driver.SubmitAsync("ana", form, EscalationScenarios.ValidForm())).Accepted);
        Assert.True((await driver.SubmitAsync("ana", form, EscalationScenarios.ValidForm())).Accepted);
        await driver.TeamMessageAsync("payments", m => m.Text.Contains("Checkout fails for card payments"), "the escalation in #payments");
        Assert.Equal(1, await _host.WithDbAsync(db => db.Escalations.CountAsync()));
    }

    [Fact]
    public async Task WithoutSecrets_TheSlackEndpointsAreOff()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        await using var host = new BotAppFactory(database);
        var response = await host.CreateClient().PostAsync("/slack/commands", new StringContent("x", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
