using System.Net;
using System.Text.Json.Nodes;
using Bot.Channels.Slack;
using Bot.Core.Features.Escalation;
using Bot.Testing;
using Bot.Testing.Conformance;

namespace Bot.Host.Tests.Slack;

/// <summary>
/// Text typed to the bot in Slack, read like a command as in Teams: in its direct messages (<c>message.im</c>) and after a
/// mention in a channel (<c>app_mention</c>, answered in the thread). Through the real endpoints, on each provider.
/// </summary>
public abstract class SlackConversationTests(TestProvider provider) : IAsyncLifetime
{
    private const string Ana = "U0ANA00005";
    private const string AnasDm = "D0ANA";
    private FakeSlackApi _slack = null!;
    private TestDatabase _database = null!;
    private BotAppFactory _host = null!;
    private HttpClient _http = null!;
    private SlackSigner _signer = null!;
    private int _events;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackApi.StartAsync();
        _database = await TestDatabase.CreateAsync(provider);
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

    private async Task<string> EventAsync(JsonObject e, string? eventId = null)
    {
        eventId ??= "Ev0TALK" + Interlocked.Increment(ref _events);
        var envelope = new JsonObject
        {
            ["token"] = "t", ["team_id"] = "T0TEAM", ["api_app_id"] = "A0BOT", ["type"] = "event_callback", ["event_id"] = eventId,
            ["event_time"] = 1700000000, ["event"] = e,
        };
        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(_signer.Json("/slack/events", envelope.ToJsonString()))).StatusCode);
        return eventId;
    }

    private static JsonObject Dm(string text, string ts = "1700000001.000100") => new()
    {
        ["type"] = "message", ["channel_type"] = "im", ["channel"] = AnasDm, ["user"] = Ana, ["text"] = text, ["ts"] = ts, ["event_ts"] = ts,
    };

    private static JsonObject Mention(string text, string ts = "1700000002.000200") => new()
    {
        ["type"] = "app_mention", ["channel"] = SlackDriver.GeneralChannel, ["user"] = Ana, ["text"] = text, ["ts"] = ts, ["event_ts"] = ts,
    };

    private Task<FakeSlackApi.Call> EphemeralAsync(Func<FakeSlackApi.Call, bool> match, string what) =>
        Eventually.GetAsync(() => Task.FromResult(_slack.Of("chat.postEphemeral").LastOrDefault(match)), c => c is not null, what)!;

    private static string Text(FakeSlackApi.Call call) => call.Body["blocks"]!.ToJsonString();

    [Fact]
    public async Task ADirectMessageHelp_GetsTheHelp_InTheDirectMessage_ListingTheWaysIn()
    {
        await EventAsync(Dm("help"));
        var help = await EphemeralAsync(c => c.Body.Str("channel") == AnasDm, "the help in Ana's DM");
        Assert.Equal(Ana, help.Body.Str("user"));
        Assert.Contains("What I can do", Text(help));
        Assert.Contains("direct message", Text(help));
        Assert.Contains("mention me in a channel", Text(help));
        Assert.Contains("*Escalate this message*", Text(help));
        Assert.Contains("the shortcuts menu", Text(help));
    }

    [Fact]
    public async Task ADirectMessageEscalate_GetsAButton_ThatOpensThePrefilledForm()
    {
        await EventAsync(Dm("escalate checkout is failing &amp; <https://status.example.com|the status page>"));
        var launcher = await EphemeralAsync(c => c.Body.Str("channel") == AnasDm && Text(c).Contains(SlackChannel.OpenFormAction.ToString()), "the button that opens the form");
        var button = launcher.Body["blocks"]!.AsArray().OfType<JsonObject>().SelectMany(b => b["elements"]?.AsArray().OfType<JsonObject>() ?? [])
            .Single(e => e.Str("action_id") == SlackChannel.OpenFormAction.ToString());
        Assert.Equal("escalate checkout is failing & the status page (https://status.example.com)", button.Str("value"));
        Assert.Empty(_slack.Of("views.open"));

        await ClickAsync(button.Str("value")!, AnasDm, thread: null);
        var opened = await Eventually.GetAsync(() => Task.FromResult(_slack.Of("views.open").SingleOrDefault()), c => c is not null, "the escalation form");
        Assert.Equal("trigger-from-the-click", opened!.Body.Str("trigger_id"));
        Assert.Equal(EscalationForms.RaiseId.ToString(), opened.Body["view"].Str("callback_id"));
        var relaxed = new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        Assert.Contains("checkout is failing & the status page (https://status.example.com)", opened.Body["view"]!.ToJsonString(relaxed));
    }

    [Fact]
    public async Task AMentionWithACommand_RunsIt_InTheThreadOfTheMention_NotTheGenericHelp()
    {
        await EventAsync(Mention("<@U0BOT> escalate checkout is down"));
        var launcher = await EphemeralAsync(c => c.Body.Str("channel") == SlackDriver.GeneralChannel, "the answer to the mention");
        Assert.Equal("1700000002.000200", launcher.Body.Str("thread_ts"));
        Assert.Contains(SlackChannel.OpenFormAction.ToString(), Text(launcher));
        Assert.Contains("escalate checkout is down", Text(launcher));
        Assert.DoesNotContain("What I can do", Text(launcher));

        // The form it opens answers in that thread too.
        await ClickAsync("escalate checkout is down", SlackDriver.GeneralChannel, thread: "1700000002.000200");
        var opened = await Eventually.GetAsync(() => Task.FromResult(_slack.Of("views.open").SingleOrDefault()), c => c is not null, "the escalation form");
        Assert.Contains($"{SlackDriver.GeneralChannel}:1700000002.000200", opened!.Body["view"].Str("private_metadata"));
    }

    [Theory]
    [InlineData("<@U0BOT>")]
    [InlineData("<@U0BOT> what is this")]
    public async Task ABareMentionOrAnUnknownWord_GetsTheHelp_InTheThread(string text)
    {
        await EventAsync(Mention(text, ts: "1700000003.000300"));
        var help = await EphemeralAsync(c => c.Body.Str("channel") == SlackDriver.GeneralChannel, "the help");
        Assert.Equal("1700000003.000300", help.Body.Str("thread_ts"));
        Assert.Contains("What I can do", Text(help));
    }

    [Fact]
    public async Task BotMessages_Edits_Deletions_AndARepeatedEvent_CauseNothing()
    {
        var bot = Dm("escalate from a bot");
        bot["bot_id"] = "B0OTHER";
        await EventAsync(bot);
        var own = Dm("help");
        own["bot_id"] = "B0BOT";
        own["user"] = "U0BOT";
        await EventAsync(own);
        var edit = Dm("help");
        edit["subtype"] = "message_changed";
        await EventAsync(edit);
        var deletion = Dm("help");
        deletion["subtype"] = "message_deleted";
        await EventAsync(deletion);
        var fromABotInAChannel = Mention("<@U0BOT> help");
        fromABotInAChannel["bot_id"] = "B0OTHER";
        await EventAsync(fromABotInAChannel);

        // One real message, delivered three times (Slack retries until it hears 200): answered once.
        var id = await EventAsync(Dm("help", ts: "1700000009.000900"));
        await EventAsync(Dm("help", ts: "1700000009.000900"), id);
        await EventAsync(Dm("help", ts: "1700000009.000900"), id);
        await EphemeralAsync(c => c.Body.Str("channel") == AnasDm, "the one answer");
        // Anything queued behind it has been handled once the marker event is answered.
        await EventAsync(Mention("<@U0BOT> help", ts: "1700000010.001000"));
        await EphemeralAsync(c => c.Body.Str("channel") == SlackDriver.GeneralChannel, "the marker's answer");

        Assert.Single(_slack.Of("chat.postEphemeral"), c => c.Body.Str("channel") == AnasDm);
        Assert.Empty(_slack.Of("chat.postMessage"));
        Assert.Empty(_slack.Of("views.open"));
    }

    private async Task ClickAsync(string value, string channel, string? thread)
    {
        var container = new JsonObject { ["type"] = "message", ["channel_id"] = channel, ["message_ts"] = "1700000005.000500", ["is_ephemeral"] = true };
        if (thread is not null) container["thread_ts"] = thread;
        var payload = new JsonObject
        {
            ["type"] = "block_actions", ["team"] = new JsonObject { ["id"] = "T0TEAM" }, ["user"] = new JsonObject { ["id"] = Ana, ["name"] = "ana" },
            ["trigger_id"] = "trigger-from-the-click", ["container"] = container, ["channel"] = new JsonObject { ["id"] = channel },
            ["actions"] = new JsonArray(new JsonObject
            {
                ["type"] = "button", ["action_id"] = SlackChannel.OpenFormAction.ToString(), ["block_id"] = "b", ["value"] = value, ["action_ts"] = "1.2",
            }),
        };
        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(_signer.Form("/slack/interactions", [new("payload", payload.ToJsonString())]))).StatusCode);
    }
}

public sealed class SlackConversationOnSqlite() : SlackConversationTests(TestProvider.Sqlite);

public sealed class SlackConversationOnPostgres() : SlackConversationTests(TestProvider.Postgres);
