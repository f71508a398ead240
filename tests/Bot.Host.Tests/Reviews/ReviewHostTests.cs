using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Channels.Slack;
using Bot.Core.Features.Incidents;
using Bot.Core.Features.Reviews;
using Bot.Testing;
using Bot.Testing.Conformance;

namespace Bot.Host.Tests.Reviews;

/// <summary>Reviews through the real host with Slack's Web API faked on loopback: export links, the Slack file, the App Home.</summary>
public abstract class ReviewHostTests(TestProvider provider) : IAsyncLifetime
{
    private FakeSlackApi _slack = null!;
    private TestDatabase _database = null!;
    private BotAppFactory _host = null!;
    private HttpClient _http = null!;
    private SlackSigner _signer = null!;
    private long _review;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackApi.StartAsync();
        _database = await TestDatabase.CreateAsync(provider);
        _host = new BotAppFactory(_database, SlackDriver.Settings(_slack));
        _http = _host.CreateClient();
        _signer = new SlackSigner(SlackSigner.Secret, () => _host.Clock.GetUtcNow());
        var now = _host.Clock.GetUtcNow();
        var report = new IncidentReport("webhook", "PD-9", "Checkout <b>500s</b>", "checkout", 2, ReportedStatus.Resolved, null, now.AddHours(-1), now);
        var (_, incident) = await _host.WithDbAsync(db => IncidentIntake.ApplyAsync(db, report, now, CancellationToken.None));
        var started = await _host.WithDbAsync(db => _host.Get<ReviewStarter>().ForIncidentAsync(db, incident.Id, "test", promptNow: false, now, CancellationToken.None));
        _review = started!.Review.Id;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
        await _slack.DisposeAsync();
    }

    private async Task<string> DownloadPathAsync() => new Uri((await _host.Get<ReviewExports>().DownloadLinkAsync(_review, CancellationToken.None))!).PathAndQuery;

    [Fact]
    public async Task ExportLink_Downloads_AndAWrongOrExpiredSignatureIs404()
    {
        var path = await DownloadPathAsync();
        Assert.StartsWith($"/links/reviews/{_review}.md?exp=", path);
        var ok = await _http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("text/markdown", ok.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"PIR-{_review}.md", ok.Content.Headers.ContentDisposition!.FileNameStar ?? ok.Content.Headers.ContentDisposition.FileName);
        Assert.Contains("Checkout &lt;b&gt;500s&lt;/b&gt;", await ok.Content.ReadAsStringAsync());

        var signature = path[(path.IndexOf("&sig=", StringComparison.Ordinal) + 5)..];
        var flipped = (signature[0] == 'a' ? 'b' : 'a') + signature[1..];
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(path.Replace(signature, flipped, StringComparison.Ordinal))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(path[..path.IndexOf("&sig=", StringComparison.Ordinal)])).StatusCode);
        // The signature covers the path and the expiry: another review, or a later expiry, does not verify.
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(path.Replace($"/{_review}.md", $"/{_review + 1}.md", StringComparison.Ordinal))).StatusCode);
        var exp = path.Split("exp=")[1].Split('&')[0];
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(path.Replace(exp, (long.Parse(exp, System.Globalization.CultureInfo.InvariantCulture) + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(path.Replace("/links/reviews/", "/links/other/", StringComparison.Ordinal))).StatusCode);

        // Seven days later the same link has expired.
        _host.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task TheLastingLink_ShowsNoContent()
    {
        var lasting = new Uri((await _host.Get<ReviewExports>().PermanentLinkAsync(_review, CancellationToken.None))!).PathAndQuery;
        var page = await _http.GetStringAsync(lasting);
        Assert.Contains($"PIR-{_review} is a blameless post-incident review by Payments", page);
        Assert.DoesNotContain("500s", page);
    }

    [Fact]
    public async Task SlackExport_UploadsTheFile_ThroughTheExternalUploadFlow()
    {
        var command = _signer.Form("/slack/commands",
        [
            new("command", "/review"), new("text", $"export PIR-{_review}"), new("user_id", "U0BEA00002"), new("user_name", "bea"),
            new("channel_id", SlackDriver.GeneralChannel), new("trigger_id", "1.2.trigger"),
        ]);
        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(command)).StatusCode);

        var completed = await Eventually.GetAsync(() => Task.FromResult(_slack.Of("files.completeUploadExternal").ToArray()), c => c.Length > 0, "the completed upload");
        var ticket = Assert.Single(_slack.Of("files.getUploadURLExternal"));
        Assert.Equal($"PIR-{_review}.md", ticket.Body.Str("filename"));
        var fileId = ticket.Reply.Str("file_id")!;
        var bytes = _slack.Uploads[fileId];
        Assert.Equal(bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), ticket.Body.Str("length"));
        Assert.StartsWith($"# Post-incident review PIR-{_review}", Encoding.UTF8.GetString(bytes));
        Assert.Equal("DU0BEA00002", completed[0].Body.Str("channel_id"));
        Assert.Equal(fileId, completed[0].Body["files"]![0]!.Str("id"));
        Assert.Empty(_slack.Of("files.upload"));

        var reply = await Eventually.GetAsync(() => Task.FromResult(_slack.Of("chat.postEphemeral").ToArray()), c => c.Length > 0, "the reply");
        Assert.Contains("/links/reviews/", reply[0].Body["blocks"]!.ToJsonString());
    }

    [Fact]
    public async Task AppHome_ShowsMyOpenReviews()
    {
        const string body = """{"token":"t","team_id":"T0TEAM","api_app_id":"A0BOT","type":"event_callback","event_id":"Ev0HOME9","event_time":1700000000,"event":{"type":"app_home_opened","user":"U0BEA00002","channel":"D0BEA","tab":"home","event_ts":"1700000000.1"}}""";
        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(_signer.Json("/slack/events", body))).StatusCode);
        var published = await Eventually.GetAsync(() => Task.FromResult(_slack.Of("views.publish").ToArray()), c => c.Length > 0, "views.publish");
        var view = published[0].Body["view"]!.ToJsonString();
        Assert.Contains("Post-incident reviews", view);
        Assert.Contains($"PIR-{_review}", view);
        Assert.DoesNotContain("\"actions\"", view);
    }
}

public sealed class ReviewHostOnSqlite() : ReviewHostTests(TestProvider.Sqlite);

public sealed class ReviewHostOnPostgres() : ReviewHostTests(TestProvider.Postgres);
