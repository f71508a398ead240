using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bot.Channels.Teams;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Microsoft.EntityFrameworkCore;

namespace Bot.Testing.Conformance;

/// <summary>
/// Teams, driven through the Bot Framework wire protocol: activities with a signed bearer token into
/// <c>/api/messages</c> (@mentions in a team channel, card actions as <c>adaptiveCard/action</c> invokes), and what
/// the host sent to the (fake) Bot Connector read back as what people in Teams would see.
/// </summary>
public sealed class TeamsDriver(BotAppFactory host, HttpClient http, FakeTeamsConnector connector, FakeBotFrameworkIdentity identity) : IChannelDriver
{
    public const string AppId = "3f0c5a51-7b1e-4c57-9a43-5b2f0c1d0b07";
    public const string BotName = "Culture Bot";
    public const string Tenant = "0f6e1f8e-4c1a-4b6e-9d1a-8c2f3e4d5a6b";
    public const string GeneralChannel = "19:general@thread.tacv2";

    private long _ids = 1_800_000_000_000;
    private readonly Lock _gate = new();
    private readonly HashSet<(string, string)> _consumedForms = [];
    // For a message action's dialog, ActivityId holds the command id and Extension the message it was taken on.
    private readonly Dictionary<string, (SeenForm Form, JsonObject Data, string Conversation, string ActivityId, bool Dialog, JsonObject? Extension)> _open = [];
    private string? _actedOn;
    private readonly List<(string Person, string Conversation, string ActivityId)> _sentBy = [];
    private bool _installed;

    public string Channel => TeamsChannel.ChannelKind;

    /// <summary>What the bot answered to each card action, in order, and which invoke each was.</summary>
    public List<JsonObject> Answers { get; } = [];

    private readonly List<(string Conversation, JsonObject Answer)> _answers = [];

    public List<string> Invokes { get; } = [];

    public static IReadOnlyDictionary<string, string?> Settings(FakeTeamsConnector connector, FakeBotFrameworkIdentity identity) => new Dictionary<string, string?>
    {
        ["Teams:AppId"] = AppId,
        ["Teams:AppPassword"] = "teams-app-secret",
        ["Teams:OpenIdMetadataUrl"] = identity.MetadataUrl.AbsoluteUri,
        ["Teams:TokenEndpoint"] = connector.TokenEndpoint.AbsoluteUri,
        ["Teams:AllowedServiceUrlHosts:0"] = "127.0.0.1",
        ["Teams:AllowedTenants:0"] = Tenant,
    };

    /// <summary>The app is added to the general channel's team, as an admin would; the bot greets there.</summary>
    public async Task InstallAsync()
    {
        if (_installed) return;
        _installed = true;
        var activity = Activity("installationUpdate", "ana", await PersonAsync("ana"), GeneralChannel, "channel");
        activity["action"] = "add";
        await PostAsync(activity, "installationUpdate");
        await Eventually.TrueAsync(() => Task.FromResult(connector.Sent.Any(c => c.ConversationId == GeneralChannel)), "the greeting after installation");
    }

    public async Task CommandAsync(string person, string text)
    {
        await InstallAsync();
        var who = await PersonAsync(person);
        var id = NextId();
        var conversation = $"{GeneralChannel};messageid={id}";
        var activity = Activity("message", person, who, conversation, "channel", id);
        var at = $"<at>{BotName}</at>";
        activity["text"] = $"{at} {text}";
        activity["textFormat"] = "plain";
        activity["entities"] = new JsonArray(new JsonObject
        {
            ["type"] = "mention", ["text"] = at, ["mentioned"] = new JsonObject { ["id"] = "28:" + AppId, ["name"] = BotName },
        });
        lock (_gate) _sentBy.Add((person, conversation, id));
        await PostAsync(activity, "message");
    }

    public async Task SayToBotAsync(string person, string text)
    {
        await InstallAsync();
        var activity = Activity("message", person, await PersonAsync(person), await DirectConversationAsync(person), "personal");
        activity["text"] = text;
        activity["textFormat"] = "plain";
        lock (_gate) _sentBy.Add((person, activity.At("conversation", "id")!, activity.At("id")!));
        await PostAsync(activity, "message");
    }

    /// <summary>A mention in the conformance team's channel: every team's channel is the installation's General here.</summary>
    public Task MentionBotAsync(string person, string teamKey, string text) => CommandAsync(person, text);

    public async Task<SeenForm> FormAsync(string person, FormId formId)
    {
        lock (_gate)
        {
            if (_open.TryGetValue(person, out var open) && open.Form.Form.FormId == formId) return open.Form;
        }
        var aad = (await PersonAsync(person)).Aad;
        // A form card in the 1:1 chat, or (in a channel) the button that opens it in a dialog; either one made for this person.
        var call = await Eventually.GetAsync(() => Task.FromResult(connector.Sent.FirstOrDefault(c =>
        {
            if (c.Method != "POST" || AdaptiveCardReader.Card(c.Body) is not { } card) return false;
            var action = AdaptiveCardReader.Submit(card) ?? AdaptiveCardReader.DialogLauncher(card);
            if (action?["data"].At("formId") != formId.ToString()) return false;
            lock (_gate) return action!["data"]!["context"].At("owner") == aad && !_consumedForms.Contains((c.ConversationId!, c.Reply.At("id")!));
        })), c => c is not null, $"the {formId} form for {person}");
        var posted = AdaptiveCardReader.Card(call!.Body)!;
        var activityId = call.Reply.At("id")!;
        lock (_gate) _consumedForms.Add((call.ConversationId!, activityId));

        var formCard = posted;
        var dialog = false;
        if (AdaptiveCardReader.DialogLauncher(posted) is { } launcher)
        {
            var answer = await InvokeAsync(person, call.ConversationId!, activityId, "task/fetch", launcher["data"]!.DeepClone().AsObject());
            if (answer.At("task", "type") != "continue") throw new InvalidOperationException($"task/fetch did not open the dialog: {answer.ToJsonString()}");
            formCard = answer["task"]!["value"]!["card"]!["content"]!.AsObject();
            dialog = true;
        }
        var seen = new SeenForm($"{call.ConversationId}|{activityId}", AdaptiveCardReader.Form(formCard)!);
        lock (_gate) _open[person] = (seen, AdaptiveCardReader.Submit(formCard)!["data"]!.AsObject(), call.ConversationId!, activityId, dialog, null);
        return seen;
    }

    public async Task<FormOutcome> SubmitAsync(string person, SeenForm form, IReadOnlyDictionary<string, string?> values)
    {
        (SeenForm Form, JsonObject Data, string Conversation, string ActivityId, bool Dialog, JsonObject? Extension) open;
        lock (_gate) open = _open[person];
        var data = open.Data.DeepClone().AsObject();
        foreach (var (key, value) in values) data[key] = value ?? "";

        JsonObject? again;
        if (open.Extension is { } message)
        {
            // A message action's dialog is sent back as composeExtension/submitAction, with the message again.
            var response = await MessageActionAsync(person, "composeExtension/submitAction", open.ActivityId, open.Conversation, message, data);
            var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            again = answer.At("task", "type") == "continue" ? answer["task"]!["value"]!["card"]!["content"]!.AsObject() : null;
        }
        else if (open.Dialog)
        {
            var answer = await InvokeAsync(person, open.Conversation, open.ActivityId, "task/submit", data);
            again = answer.At("task", "type") == "continue" ? answer["task"]!["value"]!["card"]!["content"]!.AsObject() : null;
        }
        else
        {
            var answer = await InvokeAsync(person, open.Conversation, open.ActivityId, AdaptiveCards.SubmitVerb, data);
            again = answer.At("type") == AdaptiveCards.ContentType && answer["value"] is JsonObject card && AdaptiveCardReader.Form(card) is not null ? card : null;
        }
        if (again is not null)
        {
            var shown = AdaptiveCardReader.Form(again)!;
            var errors = shown.Fields.Where(f => f.Error is not null).ToDictionary(f => f.Id, f => f.Error!);
            lock (_gate) _open[person] = open with { Form = new SeenForm(form.Id, shown), Data = AdaptiveCardReader.Submit(again)!["data"]!.AsObject() };
            return new FormOutcome(false, errors);
        }
        lock (_gate) _open.Remove(person);
        return new FormOutcome(true, new Dictionary<string, string>());
    }

    public async Task ClickAsync(string person, SeenMessage message, ActionId actionId)
    {
        var (conversation, activityId) = Split(message.Id);
        var button = message.Button(actionId);
        var thread = conversation.StartsWith("19:", StringComparison.Ordinal) ? $"{conversation};messageid={activityId}" : conversation;
        await InvokeAsync(person, thread, activityId, actionId.ToString(), ButtonData(button.ActionId.ToString(), button.Value, conversation));
    }

    /// <summary>
    /// A button's data exactly as the bot sent it (its seal included), as Teams hands it back: the newest card, sent or
    /// answered, with that button.
    /// </summary>
    public JsonObject ButtonData(string actionId, string value, string? conversation = null)
    {
        // Teams hands back the data of the card clicked on: the one in that conversation (a page in a DM and the card in
        // the channel have the same buttons, sealed for where each was sent).
        bool In(string? where) => conversation is null || (where is not null && TeamsActivity.Base(where) == TeamsActivity.Base(conversation));
        IEnumerable<JsonNode?> cards;
        lock (_gate)
            cards = connector.Sent.Where(c => In(c.ConversationId)).Select(c => (JsonNode?)AdaptiveCardReader.Card(c.Body))
                .Concat(_answers.Where(a => In(a.Conversation)).Select(a => a.Answer["value"])).Reverse().ToArray();
        foreach (var card in cards.OfType<JsonObject>())
        {
            foreach (var action in AdaptiveCardReader.Actions(card))
            {
                if (action["data"] is JsonObject data && data.At("actionId") == actionId && (data.At("value") ?? "") == value)
                    return data.DeepClone().AsObject();
            }
        }
        throw new InvalidOperationException($"No card the bot sent has a {actionId} button with value {value}.");
    }

    public async Task<SeenMessage> TeamMessageAsync(string teamKey, Func<SeenMessage, bool> match, string what)
    {
        var channel = await TeamChannelAsync(teamKey);
        return await WaitAsync(() => Messages(channel), match, what);
    }

    public async Task<SeenMessage> DirectMessageAsync(string person, Func<SeenMessage, bool> match, string what)
    {
        var dm = await DirectConversationAsync(person);
        return await WaitAsync(() => Messages(dm), match, what);
    }

    public async Task<SeenMessage> PrivateReplyAsync(string person, Func<SeenMessage, bool> match, string what)
    {
        var dm = await DirectConversationAsync(person);
        return await WaitAsync(() =>
        {
            lock (_gate)
            {
                var mine = _sentBy.Where(s => s.Person == person).Select(s => s.ActivityId).ToHashSet();
                var replies = connector.Sent.Where(c => c.Method == "POST" && c.ActivityId is not null && mine.Contains(c.ActivityId))
                    .Select(c => new SeenMessage($"{c.ConversationId}|{c.Reply.At("id")}", Read(c.Body)));
                return replies.Concat(Messages(dm)).ToArray();
            }
        }, match, what);
    }

    public async Task<IReadOnlyList<SeenMessage>> DirectMessagesAsync(string person) => Messages(await DirectConversationAsync(person));

    public async Task<IReadOnlyList<SeenMessage>> TeamMessagesAsync(string teamKey) => Messages(await TeamChannelAsync(teamKey));

    /// <summary>Posts an activity with a freshly minted token for this service URL; returns the HTTP answer.</summary>
    public async Task<HttpResponseMessage> SendAsync(JsonObject activity, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = JsonContent.Create(activity) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? identity.Mint(AppId, activity.At("serviceUrl")!));
        return await http.SendAsync(request);
    }

    /// <summary>An activity from <paramref name="person"/> in a conversation, as Teams shapes it.</summary>
    public JsonObject Activity(string type, string person, (string Aad, string Name) who, string conversationId, string conversationType, string? id = null) => new()
    {
        ["type"] = type,
        ["id"] = id ?? NextId(),
        ["timestamp"] = host.Clock.GetUtcNow().ToString("o", CultureInfo.InvariantCulture),
        ["serviceUrl"] = connector.ServiceUrl.AbsoluteUri,
        ["channelId"] = "msteams",
        ["from"] = new JsonObject { ["id"] = "29:" + person, ["name"] = who.Name, ["aadObjectId"] = who.Aad },
        ["recipient"] = new JsonObject { ["id"] = "28:" + AppId, ["name"] = BotName },
        ["conversation"] = new JsonObject
        {
            ["id"] = conversationId, ["conversationType"] = conversationType, ["tenantId"] = Tenant, ["isGroup"] = conversationType != "personal",
        },
        ["channelData"] = conversationType == "channel"
            ? new JsonObject
            {
                ["tenant"] = new JsonObject { ["id"] = Tenant },
                ["team"] = new JsonObject { ["id"] = GeneralChannel, ["name"] = "Engineering" },
                ["channel"] = new JsonObject { ["id"] = TeamsActivity.Base(conversationId) },
            }
            : new JsonObject { ["tenant"] = new JsonObject { ["id"] = Tenant } },
        ["locale"] = "en-US",
    };

    public async Task<bool> MessageActionAsync(string person, string command, string messageText)
    {
        var commandId = TeamsMessageActions.Commands.Single(c => c.Value == command).Key;
        var id = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        lock (_gate) _actedOn = GeneralChannel + ";messageid=" + id;
        var message = new JsonObject
        {
            ["id"] = id, ["messageType"] = "message", ["linkToMessage"] = $"https://teams.microsoft.com/l/message/{GeneralChannel}/{id}",
            ["body"] = new JsonObject { ["contentType"] = "html", ["content"] = "<p>" + System.Net.WebUtility.HtmlEncode(messageText) + "</p>" },
        };
        var response = await MessageActionAsync(person, "composeExtension/fetchTask", commandId, GeneralChannel, message);
        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        if (answer.At("task", "type") != "continue") throw new InvalidOperationException($"fetchTask did not open the dialog: {answer.ToJsonString()}");
        var card = answer["task"]!["value"]!["card"]!["content"]!.AsObject();
        connector.CheckCard(card, "dialog of " + commandId);
        var form = AdaptiveCardReader.Form(card)!;
        lock (_gate) _open[person] = (new SeenForm($"{GeneralChannel}|{id}", form), AdaptiveCardReader.Submit(card)!["data"]!.AsObject(), GeneralChannel, commandId, true, message);
        return true;
    }

    public Task<IReadOnlyList<SeenMessage>> ThreadRepliesAsync()
    {
        string? thread;
        lock (_gate) thread = _actedOn;
        return Task.FromResult<IReadOnlyList<SeenMessage>>(connector.Sent.Where(c => thread is not null && c.ConversationId == thread && c.Method == "POST")
            .Select(c => new SeenMessage($"{thread}|{c.Reply.At("id")}", Read(c.Body))).ToArray());
    }

    /// <summary>
    /// A message extension action on a message, as Teams sends it from the message's <i>More actions</i> menu:
    /// <c>composeExtension/fetchTask</c>, or <c>composeExtension/submitAction</c> with the dialog's <paramref name="data"/>.
    /// </summary>
    public async Task<HttpResponseMessage> MessageActionAsync(string person, string name, string commandId, string conversation, JsonObject message,
        JsonObject? data = null, Action<JsonObject>? alter = null)
    {
        var activity = Activity("invoke", person, await PersonAsync(person), conversation, conversation.StartsWith("a:", StringComparison.Ordinal) ? "personal" : "channel");
        activity["name"] = name;
        var value = new JsonObject
        {
            ["commandId"] = commandId, ["commandContext"] = "message", ["messagePayload"] = message.DeepClone(),
            ["context"] = new JsonObject { ["theme"] = "default" },
        };
        if (data is not null) value["data"] = data;
        activity["value"] = value;
        alter?.Invoke(activity);
        return await SendAsync(activity);
    }

    /// <summary>
    /// A card action as Teams sends it: <c>adaptiveCard/action</c> for an Action.Execute <paramref name="verb"/>, or the
    /// dialog invokes when <paramref name="verb"/> is <c>task/fetch</c> or <c>task/submit</c>. Returns the bot's answer.
    /// </summary>
    public async Task<JsonObject> InvokeAsync(string person, string conversation, string replyToId, string verb, JsonObject data)
    {
        var activity = Activity("invoke", person, await PersonAsync(person), conversation, conversation.StartsWith("a:", StringComparison.Ordinal) ? "personal" : "channel");
        activity["replyToId"] = replyToId;
        if (verb is "task/fetch" or "task/submit")
        {
            activity["name"] = verb;
            activity["value"] = new JsonObject { ["data"] = data, ["context"] = new JsonObject { ["theme"] = "default" } };
        }
        else
        {
            activity["name"] = "adaptiveCard/action";
            activity["value"] = new JsonObject
            {
                ["action"] = new JsonObject { ["type"] = "Action.Execute", ["id"] = verb, ["verb"] = verb, ["data"] = data },
                ["trigger"] = "manual",
            };
        }
        var response = await SendAsync(activity);
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"adaptiveCard/action answered {(int)response.StatusCode}");
        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        if (answer.At("type") == AdaptiveCards.ContentType) connector.CheckCard(answer["value"], "answer to " + verb);
        if (answer["task"] is JsonObject task && task["value"] is JsonObject shown && shown["card"]?["content"] is { } dialogCard)
            connector.CheckCard(dialogCard, "dialog of " + verb);
        lock (_gate)
        {
            Answers.Add(answer);
            _answers.Add((conversation, answer));
            Invokes.Add(activity.At("name")!);
        }
        return answer;
    }

    private async Task PostAsync(JsonObject activity, string what)
    {
        var response = await SendAsync(activity);
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{what} answered {(int)response.StatusCode}");
    }

    /// <summary>What a conversation shows now: every new message posted to it, as its last update left it (thread replies aside).</summary>
    private IReadOnlyList<SeenMessage> Messages(string conversation)
    {
        var shown = new List<(string Id, JsonObject? Body)>();
        foreach (var call in connector.Sent.Where(c => TeamsActivity.Base(c.ConversationId!) == conversation))
        {
            if (call.Method == "POST" && call.ActivityId is null) shown.Add((call.Reply.At("id")!, call.Body));
            else if (call.Method == "PUT" && shown.FindIndex(m => m.Id == call.ActivityId) is var i and >= 0) shown[i] = (shown[i].Id, call.Body);
        }
        return shown.Select(m => new SeenMessage($"{conversation}|{m.Id}", Read(m.Body))).ToArray();
    }

    private static Message Read(JsonObject? activity) =>
        AdaptiveCardReader.Card(activity) is { } card ? AdaptiveCardReader.Message(card) : new Message([], activity.At("text") ?? "");

    private static async Task<SeenMessage> WaitAsync(Func<IReadOnlyList<SeenMessage>> probe, Func<SeenMessage, bool> match, string what)
    {
        var messages = await Eventually.GetAsync(() => Task.FromResult(probe()), ms => ms.Any(match), what);
        return messages.Last(match);
    }

    private async Task<(string Aad, string Name)> PersonAsync(string person)
    {
        var row = await host.WithDbAsync(db => db.People.AsNoTracking().SingleAsync(p => p.Key == person));
        var who = (row.IdentityOn("teams")!, row.Name);
        connector.Members.TryAdd("29:" + person, (who.Item1, who.Name, row.Email));
        return who;
    }

    private async Task<string> DirectConversationAsync(string person) => connector.DirectConversation((await PersonAsync(person)).Aad);

    private Task<string> TeamChannelAsync(string teamKey) =>
        host.WithDbAsync(async db => (await db.Teams.SingleAsync(t => t.Key == teamKey)).ChannelFor(TeamsChannel.ChannelKind)!);

    private string NextId() => Interlocked.Increment(ref _ids).ToString(CultureInfo.InvariantCulture);

    private static (string Conversation, string ActivityId) Split(string id) =>
        id.LastIndexOf('|') is var i and > 0 ? (id[..i], id[(i + 1)..]) : throw new ArgumentException(id);
}
