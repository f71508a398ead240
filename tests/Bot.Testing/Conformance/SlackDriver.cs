using System.Net;
using System.Text.Json.Nodes;
using Bot.Channels.Slack;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Microsoft.EntityFrameworkCore;

namespace Bot.Testing.Conformance;

/// <summary>
/// Slack, driven through its wire protocol: slash commands and interactivity payloads into the host (signed HTTP requests,
/// or Socket Mode envelopes when a <paramref name="socketMode"/> server is given), and what the host sent to the (fake)
/// Web API read back as what people in Slack would see.
/// </summary>
public sealed class SlackDriver(BotAppFactory host, HttpClient http, FakeSlackApi slack, FakeSlackSocketMode? socketMode = null) : IChannelDriver
{
    public const string GeneralChannel = "C0GENERAL";

    // Signed at the host's clock, as Slack's and the host's clocks agree in real life.
    private readonly SlackSigner _signer = new(SlackSigner.Secret, () => host.Clock.GetUtcNow());
    private readonly Dictionary<string, string> _triggers = [];
    private readonly HashSet<FakeSlackApi.Call> _consumedViews = [];
    private readonly Dictionary<string, (SeenForm Form, string ViewId)> _open = [];
    private readonly Lock _gate = new();
    private readonly List<(string Person, SeenMessage Message)> _answeredInline = [];

    public string Channel => SlackChannel.ChannelKind;

    public static IReadOnlyDictionary<string, string?> Settings(FakeSlackApi slack) => new Dictionary<string, string?>
    {
        ["Slack:SigningSecret"] = SlackSigner.Secret,
        ["Slack:BotToken"] = FakeSlackApi.Token,
        ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
        // The fake has no rate limit to respect; the pacing itself is proven by the pacing tests with an interval of their own.
        ["Slack:PostInterval"] = "00:00:00.020",
    };

    /// <summary>Socket Mode instead of the HTTP endpoints: an app-level token and no signing secret.</summary>
    public static IReadOnlyDictionary<string, string?> SocketModeSettings(FakeSlackApi slack) => new Dictionary<string, string?>(Settings(slack))
    {
        ["Slack:SigningSecret"] = null,
        ["Slack:AppToken"] = FakeSlackSocketMode.AppToken,
    };

    /// <summary>A slash command over the transport under test: the acknowledgement's status and body.</summary>
    private async Task<(HttpStatusCode Status, string Body)> SendCommandAsync(IEnumerable<KeyValuePair<string, string>> fields)
    {
        if (socketMode is null)
        {
            using var response = await http.SendAsync(_signer.Form("/slack/commands", fields));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        return Acked(await socketMode.DeliverAsync("slash_commands",
            new JsonObject(fields.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)JsonValue.Create(f.Value))))));
    }

    /// <summary>An Events API callback over the transport under test: the acknowledgement's status.</summary>
    private async Task<HttpStatusCode> SendEventAsync(JsonObject e)
    {
        var callback = new JsonObject
        {
            ["token"] = "t", ["team_id"] = "T0TEAM", ["api_app_id"] = "A0BOT", ["type"] = "event_callback",
            ["event_id"] = "Ev0DRIVER" + Interlocked.Increment(ref _events).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["event_time"] = host.Clock.GetUtcNow().ToUnixTimeSeconds(), ["event"] = e,
        };
        if (socketMode is null)
        {
            using var response = await http.SendAsync(_signer.Json("/slack/events", callback.ToJsonString()));
            return response.StatusCode;
        }
        return Acked(await socketMode.DeliverAsync("events_api", callback)).Item1;
    }

    private int _events;

    /// <summary>An interactivity payload over the transport under test: the acknowledgement's status and body.</summary>
    private async Task<(HttpStatusCode Status, string Body)> SendInteractionAsync(JsonObject payload)
    {
        if (socketMode is null)
        {
            using var response = await http.SendAsync(_signer.Form("/slack/interactions", [new("payload", payload.ToJsonString())]));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        return Acked(await socketMode.DeliverAsync("interactive", payload));
    }

    // An envelope nobody acknowledged reads as a request that timed out.
    private static (HttpStatusCode, string) Acked(JsonObject? ack) =>
        ack is null ? (HttpStatusCode.GatewayTimeout, "") : (HttpStatusCode.OK, ack["payload"]?.ToJsonString() ?? "");

    public async Task CommandAsync(string person, string text)
    {
        var command = Command.Parse(text)!;
        var response = await SendCommandAsync(
        [
            new("token", "deprecated"), new("team_id", "T0TEAM"), new("channel_id", GeneralChannel), new("channel_name", "general"),
            new("user_id", await UserIdAsync(person)), new("user_name", person), new("command", "/" + command.Name), new("text", command.Text),
            new("response_url", "https://hooks.slack.com/commands/T0TEAM/1/x"), new("trigger_id", Trigger(person)), new("api_app_id", "A0BOT"),
        ]);
        Expect(response, HttpStatusCode.OK, "slash command");
        var body = response.Body;
        if (body.Length > 0 && JsonNode.Parse(body) is JsonObject answer)
        {
            if (answer.Str("response_type") != "ephemeral") throw new InvalidOperationException($"Unexpected command answer: {body}");
            lock (_gate) _answeredInline.Add((person, new SeenMessage("inline|" + _answeredInline.Count, BlockKitReader.Message(answer))));
        }
    }

    public async Task SayToBotAsync(string person, string text)
    {
        var user = await UserIdAsync(person);
        var ts = NextMessageTs();
        Expect((await SendEventAsync(new JsonObject
        {
            ["type"] = "message", ["channel_type"] = "im", ["channel"] = "D" + user, ["user"] = user, ["text"] = SlackBlockKit.Escape(text),
            ["ts"] = ts, ["event_ts"] = ts,
        }), ""), HttpStatusCode.OK, "message.im event");
    }

    public async Task MentionBotAsync(string person, string teamKey, string text)
    {
        var ts = NextMessageTs();
        Expect((await SendEventAsync(new JsonObject
        {
            ["type"] = "app_mention", ["channel"] = await TeamChannelAsync(teamKey), ["user"] = await UserIdAsync(person),
            ["text"] = "<@U0BOT> " + SlackBlockKit.Escape(text), ["ts"] = ts, ["event_ts"] = ts,
        }), ""), HttpStatusCode.OK, "app_mention event");
    }

    private string NextMessageTs() =>
        "1700001000." + Interlocked.Increment(ref _events).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    public async Task<SeenForm> FormAsync(string person, FormId formId)
    {
        lock (_gate)
        {
            if (_open.TryGetValue(person, out var open) && open.Form.Form.FormId == formId) return open.Form;
        }
        var call = await Eventually.GetAsync(() => Task.FromResult(slack.Of("views.open").FirstOrDefault(c =>
        {
            lock (_gate)
            {
                return !_consumedViews.Contains(c) && c.Body.Str("trigger_id") is { } t && _triggers.GetValueOrDefault(t) == person
                       && c.Body.Str("view", "callback_id") == formId.ToString();
            }
        })), c => c is not null, $"views.open of {formId} for {person}");
        var form = new SeenForm(call!.Reply.Str("view", "id") ?? "", BlockKitReader.Form(call.Body["view"]!.AsObject()));
        lock (_gate)
        {
            _consumedViews.Add(call);
            _open[person] = (form, form.Id);
        }
        return form;
    }

    public async Task<FormOutcome> SubmitAsync(string person, SeenForm form, IReadOnlyDictionary<string, string?> values)
    {
        var state = new JsonObject();
        foreach (var field in form.Form.Fields)
        {
            var value = values.GetValueOrDefault(field.Id);
            state[field.Id] = new JsonObject
            {
                ["value"] = field.Kind switch
                {
                    FieldKind.Select => new JsonObject
                    {
                        ["type"] = "static_select",
                        ["selected_option"] = string.IsNullOrEmpty(value) ? null : new JsonObject { ["value"] = value, ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = value } },
                    },
                    FieldKind.Date => new JsonObject { ["type"] = "datepicker", ["selected_date"] = value },
                    FieldKind.Check => new JsonObject
                    {
                        ["type"] = "checkboxes",
                        ["selected_options"] = value == "true" ? new JsonArray(new JsonObject { ["value"] = "true" }) : new JsonArray(),
                    },
                    // Slack's people picker answers with the Slack user id of whoever was picked (a form may show one already).
                    FieldKind.Person => new JsonObject { ["type"] = "users_select", ["selected_user"] = string.IsNullOrEmpty(value) ? null : value.StartsWith('U') ? value : await UserIdAsync(value) },
                    _ => new JsonObject { ["type"] = "plain_text_input", ["value"] = string.IsNullOrEmpty(value) ? null : value },
                },
            };
        }
        var payload = new JsonObject
        {
            ["type"] = "view_submission",
            ["team"] = new JsonObject { ["id"] = "T0TEAM" },
            ["user"] = new JsonObject { ["id"] = await UserIdAsync(person), ["name"] = person },
            ["trigger_id"] = Trigger(person),
            ["view"] = new JsonObject
            {
                ["id"] = form.Id, ["type"] = "modal", ["callback_id"] = form.Form.FormId.ToString(), ["private_metadata"] = form.Form.PrivateState,
                ["hash"] = "h", ["state"] = new JsonObject { ["values"] = state },
            },
        };
        var response = await SendInteractionAsync(payload);
        Expect(response, HttpStatusCode.OK, "view_submission");
        var text = response.Body;
        if (text.Length == 0)
        {
            lock (_gate) _open.Remove(person);
            return new FormOutcome(true, new Dictionary<string, string>());
        }
        var body = JsonNode.Parse(text)!;
        if (body.Str("response_action") != "errors") throw new InvalidOperationException($"Unexpected view_submission answer: {text}");
        var errors = body["errors"]!.AsObject().ToDictionary(e => e.Key, e => e.Value!.GetValue<string>());
        lock (_gate) _open[person] = (form with { Form = form.Form.WithErrors(errors, values) }, form.Id);
        return new FormOutcome(false, errors);
    }

    public async Task ClickAsync(string person, SeenMessage message, ActionId actionId)
    {
        var (channel, ts) = Split(message.Id);
        var button = message.Button(actionId);
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["team"] = new JsonObject { ["id"] = "T0TEAM" },
            ["user"] = new JsonObject { ["id"] = await UserIdAsync(person), ["name"] = person },
            ["trigger_id"] = Trigger(person),
            ["container"] = new JsonObject { ["type"] = "message", ["channel_id"] = channel, ["message_ts"] = ts },
            ["channel"] = new JsonObject { ["id"] = channel },
            ["message"] = new JsonObject { ["ts"] = ts },
            ["response_url"] = "https://hooks.slack.com/actions/T0TEAM/1/x",
            ["actions"] = new JsonArray(new JsonObject
            {
                ["type"] = "button", ["action_id"] = button.ActionId.ToString(), ["block_id"] = "b", ["value"] = button.Value, ["action_ts"] = "1.2",
            }),
        };
        var response = await SendInteractionAsync(payload);
        Expect(response, HttpStatusCode.OK, "block_actions");
    }

    private string? _actedOn;

    public async Task<bool> MessageActionAsync(string person, string command, string messageText)
    {
        var callback = SlackShortcuts.OnMessage.Single(s => s.Value == command).Key;
        var ts = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Random.Shared.Next(100_000, 999_999)}";
        lock (_gate) _actedOn = ts;
        await MessageShortcutAsync(person, callback, GeneralChannel, ts, SlackBlockKit.Escape(messageText));
        return true;
    }

    public Task<IReadOnlyList<SeenMessage>> ThreadRepliesAsync()
    {
        string? ts;
        lock (_gate) ts = _actedOn;
        return Task.FromResult<IReadOnlyList<SeenMessage>>(slack.Of("chat.postMessage").Where(c => ts is not null && c.Body.Str("thread_ts") == ts && c.Reply is not null)
            .Select(c => new SeenMessage($"{c.Body.Str("channel")}|{c.Reply.Str("ts")}", BlockKitReader.Message(c.Body))).ToArray());
    }

    /// <summary>A message shortcut ("Escalate this message") on a message in a channel, as Slack sends it.</summary>
    public async Task MessageShortcutAsync(string person, string callbackId, string channel, string ts, string text, string? threadTs = null)
    {
        var message = new JsonObject { ["type"] = "message", ["user"] = "U0MIA00006", ["ts"] = ts, ["text"] = text };
        if (threadTs is not null) message["thread_ts"] = threadTs;
        var payload = new JsonObject
        {
            ["type"] = "message_action", ["callback_id"] = callbackId, ["trigger_id"] = Trigger(person), ["action_ts"] = "1.2",
            ["team"] = new JsonObject { ["id"] = "T0TEAM" },
            ["user"] = new JsonObject { ["id"] = await UserIdAsync(person), ["name"] = person },
            ["channel"] = new JsonObject { ["id"] = channel, ["name"] = "general" },
            ["message"] = message, ["message_ts"] = ts,
            ["response_url"] = "https://hooks.slack.com/app/T0TEAM/1/x",
        };
        var response = await SendInteractionAsync(payload);
        Expect(response, HttpStatusCode.OK, "message_action");
    }

    /// <summary>A global shortcut from the shortcuts menu.</summary>
    public async Task GlobalShortcutAsync(string person, string callbackId)
    {
        var payload = new JsonObject
        {
            ["type"] = "shortcut", ["callback_id"] = callbackId, ["trigger_id"] = Trigger(person), ["action_ts"] = "1.2",
            ["team"] = new JsonObject { ["id"] = "T0TEAM" },
            ["user"] = new JsonObject { ["id"] = await UserIdAsync(person), ["name"] = person },
        };
        var response = await SendInteractionAsync(payload);
        Expect(response, HttpStatusCode.OK, "shortcut");
    }

    public async Task<SeenMessage> TeamMessageAsync(string teamKey, Func<SeenMessage, bool> match, string what)
    {
        var channel = await TeamChannelAsync(teamKey);
        return await WaitAsync(() => Task.FromResult(Messages(channel)), match, what);
    }

    public async Task<SeenMessage> DirectMessageAsync(string person, Func<SeenMessage, bool> match, string what)
    {
        var dm = "D" + await UserIdAsync(person);
        return await WaitAsync(() => Task.FromResult(Messages(dm)), match, what);
    }

    public async Task<SeenMessage> PrivateReplyAsync(string person, Func<SeenMessage, bool> match, string what)
    {
        var user = await UserIdAsync(person);
        return await WaitAsync(() =>
        {
            lock (_gate)
            {
                return Task.FromResult<IReadOnlyList<SeenMessage>>(_answeredInline.Where(a => a.Person == person).Select(a => a.Message)
                    .Concat(slack.Of("chat.postEphemeral").Where(c => c.Body.Str("user") == user && c.Reply is not null)
                        .Select(c => new SeenMessage("ephemeral|" + c.Reply.Str("message_ts"), BlockKitReader.Message(c.Body)))).ToArray());
            }
        }, match, what);
    }

    public async Task<IReadOnlyList<SeenMessage>> DirectMessagesAsync(string person) => Messages("D" + await UserIdAsync(person));

    public async Task<IReadOnlyList<SeenMessage>> TeamMessagesAsync(string teamKey) => Messages(await TeamChannelAsync(teamKey));

    /// <summary>What a channel shows now: every posted message, as its last update left it.</summary>
    private IReadOnlyList<SeenMessage> Messages(string channel)
    {
        var shown = new List<(string Ts, JsonObject Body)>();
        foreach (var call in slack.Calls.Where(c => c.Reply is not null && c.Body.Str("channel") == channel))
        {
            if (call.Method == "chat.postMessage") shown.Add((call.Reply.Str("ts")!, call.Body));
            else if (call.Method == "chat.update" && shown.FindIndex(m => m.Ts == call.Body.Str("ts")) is var i and >= 0) shown[i] = (shown[i].Ts, call.Body);
        }
        return shown.Select(m => new SeenMessage($"{channel}|{m.Ts}", BlockKitReader.Message(m.Body))).ToArray();
    }

    private static async Task<SeenMessage> WaitAsync(Func<Task<IReadOnlyList<SeenMessage>>> probe, Func<SeenMessage, bool> match, string what)
    {
        var messages = await Eventually.GetAsync(probe, ms => ms.Any(match), what);
        return messages.Last(match);
    }

    private string Trigger(string person)
    {
        var trigger = $"{Random.Shared.NextInt64(100_000_000, 999_999_999)}.47445629121.{Guid.NewGuid():N}";
        lock (_gate) _triggers[trigger] = person;
        return trigger;
    }

    private Task<string> UserIdAsync(string person) =>
        host.WithDbAsync(async db => (await db.People.SingleAsync(p => p.Key == person)).IdentityOn("slack")!);

    private Task<string> TeamChannelAsync(string teamKey) =>
        host.WithDbAsync(async db => (await db.Teams.SingleAsync(t => t.Key == teamKey)).ChannelFor(SlackChannel.ChannelKind)!);

    private static (string Channel, string Ts) Split(string id) => id.Split('|') is [var c, var t] ? (c, t) : throw new ArgumentException(id);

    private static void Expect((HttpStatusCode Status, string Body) response, HttpStatusCode status, string what)
    {
        if (response.Status != status) throw new InvalidOperationException($"{what} answered {(int)response.Status}");
    }
}
