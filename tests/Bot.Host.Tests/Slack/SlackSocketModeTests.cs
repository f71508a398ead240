using System.Net;
using System.Text.Json.Nodes;
using Bot.Channels.Slack;
using Bot.Host.Operations;
using Bot.Testing;
using Bot.Testing.Conformance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;

namespace Bot.Host.Tests.Slack;

/// <summary>
/// The Socket Mode transport against a loopback Socket Mode server: connections opened with the app-level token,
/// envelopes acknowledged with their answers, redeliveries deduplicated, connections replaced and reconnected. What the
/// flows do through it is the Slack conformance suite's business (it runs over Socket Mode too).
/// </summary>
public sealed class SlackSocketModeTests : IAsyncLifetime
{
    private const string Ana = "U0ANA00005";
    private FakeSlackApi _slack = null!;
    private FakeSlackSocketMode _socket = null!;
    private TestDatabase _database = null!;
    private BotAppFactory _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackApi.StartAsync();
        _socket = await FakeSlackSocketMode.StartAsync(_slack);
        _database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        _host = new BotAppFactory(_database, SlackDriver.SocketModeSettings(_slack), services: s => s.AddFakeLogging());
        _http = _host.CreateClient();
        await _socket.WaitForOpenAsync(2);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
        await _socket.DisposeAsync();
        await _slack.DisposeAsync();
    }

    private static JsonObject SlashCommand(string command, string text) => new()
    {
        ["token"] = "deprecated", ["team_id"] = "T0TEAM", ["channel_id"] = SlackDriver.GeneralChannel, ["user_id"] = Ana, ["user_name"] = "ana",
        ["command"] = command, ["text"] = text, ["trigger_id"] = "1.2.3", ["api_app_id"] = "A0BOT", ["is_enterprise_install"] = false,
        ["response_url"] = "https://hooks.slack.com/commands/T0TEAM/1/x",
    };

    private static JsonObject DmEvent(string eventId, string text) => new()
    {
        ["token"] = "t", ["team_id"] = "T0TEAM", ["api_app_id"] = "A0BOT", ["type"] = "event_callback", ["event_id"] = eventId, ["event_time"] = 1700000000,
        ["event"] = new JsonObject
        {
            ["type"] = "message", ["channel_type"] = "im", ["channel"] = "D0ANA", ["user"] = Ana, ["text"] = text,
            ["ts"] = "1700000001.000100", ["event_ts"] = "1700000001.000100",
        },
    };

    [Fact]
    public async Task Connections_AreOpenedWithTheAppToken_AndKeptAtTwo()
    {
        var opens = _slack.Of("apps.connections.open").ToArray();
        Assert.Equal(2, opens.Length);
        Assert.All(opens, c => Assert.Equal($"Bearer {FakeSlackSocketMode.AppToken}", c.Authorization));
        Assert.Equal(2, _host.Get<SlackSocketMode>().OpenConnections);
    }

    [Fact]
    public async Task HttpEndpoints_AreOff_InSocketMode()
    {
        var signer = new SlackSigner(SlackSigner.Secret, () => _host.Clock.GetUtcNow());
        var response = await _http.SendAsync(signer.Form("/slack/commands", [new("command", "/escalate"), new("user_id", Ana), new("channel_id", "C1")]));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task SlashCommand_AnsweredAtOnce_CarriesItsAnswerInTheAcknowledgement()
    {
        var ack = await _socket.DeliverAsync("slash_commands", SlashCommand("/no-such-command", "<!channel>"));

        Assert.NotNull(ack);
        Assert.Equal("ephemeral", ack!["payload"].Str("response_type"));
        Assert.Contains("/no-such-command", ack["payload"].Str("text"));
    }

    [Fact]
    public async Task SlashCommand_WithAForm_IsAcknowledgedEmpty_AndOpensTheForm()
    {
        var ack = await _socket.DeliverAsync("slash_commands", SlashCommand("/escalate", "checkout is down"));

        Assert.NotNull(ack);
        Assert.Null(ack!["payload"]);
        var opened = await Eventually.GetAsync(() => Task.FromResult(_slack.Of("views.open").ToArray()), c => c.Length == 1, "views.open");
        Assert.Equal("1.2.3", opened[0].Body.Str("trigger_id"));
    }

    [Fact]
    public async Task RedeliveredEvent_HasOneEffect()
    {
        Assert.NotNull(await _socket.DeliverAsync("events_api", DmEvent("Ev0SOCKET1", "help")));
        // Slack delivers again, in a new envelope, when it did not hear back in time.
        Assert.NotNull(await _socket.DeliverAsync("events_api", DmEvent("Ev0SOCKET1", "help"), retryAttempt: 1));
        Assert.NotNull(await _socket.DeliverAsync("events_api", DmEvent("Ev0SOCKET2", "help")));

        await Eventually.GetAsync(() => Task.FromResult(_slack.Of("chat.postEphemeral").Count(c => c.Body.Str("channel") == "D0ANA")), n => n == 2, "two answers");
        await Task.Delay(300);
        Assert.Equal(2, _slack.Of("chat.postEphemeral").Count(c => c.Body.Str("channel") == "D0ANA"));
    }

    [Theory]
    [InlineData("refresh_requested")]
    [InlineData("warning")]
    public async Task Disconnect_ReplacesTheConnection_BeforeClosingIt(string reason)
    {
        var first = _socket.OpenLinks.First();
        await _socket.DisconnectAsync(reason, first);

        await Eventually.GetAsync(() => Task.FromResult(_socket.OpenLinks), l => !l.Contains(first) && l.Count == 2, "the connection replaced");
        Assert.Equal(3, _socket.Opened);
        // Make before break: the replaced connection closed only after its successor was open.
        Assert.Equal(2, await Eventually.GetAsync(() => Task.FromResult(_host.Get<SlackSocketMode>().OpenConnections), n => n == 2, "two open"));
        Assert.NotNull(await _socket.DeliverAsync("slash_commands", SlashCommand("/help", "")));
    }

    [Fact]
    public async Task EnvelopesDuringAReplacement_AreAllAcknowledged()
    {
        var deliveries = Enumerable.Range(0, 20).Select(async i =>
        {
            if (i == 5) await _socket.DisconnectAsync("refresh_requested", _socket.OpenLinks.First());
            return await _socket.DeliverAsync("slash_commands", SlashCommand("/help", ""));
        }).ToArray();

        var acks = await Task.WhenAll(deliveries);
        Assert.All(acks, Assert.NotNull);
    }

    [Fact]
    public async Task DroppedSocket_Reconnects()
    {
        var first = _socket.OpenLinks.First();
        _socket.Drop(first);

        await Eventually.GetAsync(() => Task.FromResult(_socket.OpenLinks), l => !l.Contains(first) && l.Count == 2, "reconnected");
        Assert.Contains(_host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Message.Contains("dropped; reconnecting"));
    }

    [Fact]
    public async Task FailedReconnects_BackOff_OnTheHostsClock()
    {
        _slack.FailNext("apps.connections.open", "internal_error");
        _slack.FailNext("apps.connections.open", "internal_error");
        _socket.Drop(_socket.OpenLinks.First());

        // The first attempt at once, then waits of about 1 s and 2 s (80-100 % of them), on the host's clock.
        await FailedAttemptsAsync(1);
        _host.Clock.Advance(TimeSpan.FromSeconds(0.7));
        await Task.Delay(300);
        Assert.Equal(1, FailedAttempts());
        _host.Clock.Advance(TimeSpan.FromSeconds(0.3));
        await FailedAttemptsAsync(2);
        _host.Clock.Advance(TimeSpan.FromSeconds(1.5));
        await Task.Delay(300);
        Assert.Equal(1, _socket.Open);
        _host.Clock.Advance(TimeSpan.FromSeconds(0.5));
        await _socket.WaitForOpenAsync(2);
    }

    private int FailedAttempts() => _host.Services.GetFakeLogCollector().GetSnapshot().Count(r => r.Message.Contains("could not open"));

    /// <summary>Waits for the n-th failed attempt's log line, and a moment more for its wait to start on the clock.</summary>
    private async Task FailedAttemptsAsync(int n)
    {
        await Eventually.GetAsync(() => Task.FromResult(FailedAttempts()), c => c == n, $"{n} failed attempts");
        await Task.Delay(100);
    }

    [Fact]
    public async Task LinkDisabled_StopsThatConnection_WithAClearLog()
    {
        var first = _socket.OpenLinks.First();
        await _socket.DisconnectAsync("link_disabled", first);

        var line = await Eventually.GetAsync(() => Task.FromResult(_host.Services.GetFakeLogCollector().GetSnapshot()
            .FirstOrDefault(r => r.Message.Contains("link_disabled"))), r => r is not null, "the log line");
        Assert.Equal(LogLevel.Critical, line!.Level);
        await Task.Delay(300);
        Assert.Equal(2, _socket.Opened);
    }

    [Fact]
    public async Task ConnectionUrl_OnlyWss_OrLoopback()
    {
        // Slack handing out a plain ws:// URL to another host is refused; the bot keeps trying for a proper one.
        _slack.AnswerNext("apps.connections.open", new JsonObject { ["ok"] = true, ["url"] = "ws://example.com/link/?ticket=x" });
        _socket.Drop(_socket.OpenLinks.First());

        await FailedAttemptsAsync(1);
        Assert.Contains("unexpected_url", _host.Services.GetFakeLogCollector().GetSnapshot().Single(r => r.Message.Contains("could not open")).Message);
        _host.Clock.Advance(TimeSpan.FromSeconds(1));
        await _socket.WaitForOpenAsync(2);
    }

    [Fact]
    public async Task Stopping_RunsWhatWasAcknowledged_AndLeavesTheRestToSlack()
    {
        var deliveries = Enumerable.Range(0, 40)
            .Select(i => _socket.DeliverAsync("slash_commands", SlashCommand("/escalate", "checkout " + i), wait: TimeSpan.FromSeconds(3)))
            .ToArray();
        await Eventually.GetAsync(() => Task.FromResult(_socket.Acks.Count), n => n >= 5, "the first acknowledgements");

        var shutdown = _host.Services.GetServices<IHostedService>().OfType<GracefulShutdown>().Single();
        await shutdown.StoppingAsync(CancellationToken.None);

        // Every acknowledged /escalate opened its form before the stop ended; what was not acknowledged did nothing,
        // and Slack delivers it again to another connection.
        var acknowledged = (await Task.WhenAll(deliveries)).Count(a => a is not null);
        Assert.InRange(acknowledged, 5, 40);
        Assert.Equal(acknowledged, _slack.Of("views.open").Count());
        Assert.Equal(0, _socket.Open);
        Assert.Equal(0, _host.Get<SlackSocketMode>().OpenConnections);
    }

    [Fact]
    public async Task EnvelopeOverTheSizeLimit_IsNotHandled()
    {
        var huge = SlashCommand("/help", new string('x', 300 * 1024));
        Assert.Null(await _socket.DeliverAsync("slash_commands", huge, wait: TimeSpan.FromSeconds(2)));
        Assert.NotNull(await _socket.DeliverAsync("slash_commands", SlashCommand("/help", "")));
    }
}

/// <summary>An app-level token Slack refuses stops Socket Mode with a line that says what to fix, and nothing else.</summary>
public sealed class SlackSocketModeSettingsTests
{
    [Fact]
    public async Task InvalidAppToken_StopsTheConnections_WithAClearLog()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        await using var socket = await FakeSlackSocketMode.StartAsync(slack);
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        var settings = new Dictionary<string, string?>(SlackDriver.SocketModeSettings(slack)) { ["Slack:AppToken"] = "xapp-1-revoked" };
        await using var host = new BotAppFactory(database, settings, services: s => s.AddFakeLogging());
        host.CreateClient();

        var lines = await Eventually.GetAsync(() => Task.FromResult(host.Services.GetFakeLogCollector().GetSnapshot()
            .Where(r => r.Message.Contains("refused the app-level token")).ToArray()), l => l.Length == 2, "one line per connection");
        Assert.All(lines, l => Assert.Equal(LogLevel.Critical, l.Level));
        Assert.DoesNotContain(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Message.Contains("xapp-1-revoked"));
        Assert.Equal(0, socket.Opened);
    }
}
