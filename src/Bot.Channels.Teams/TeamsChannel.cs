using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Channels.Teams;

/// <summary>
/// The Teams implementation of the channel port, over the Bot Connector. Messages are Adaptive Cards; a private
/// reply goes to the person's 1:1 chat with the bot (Teams has no ephemeral messages); a form is a card in the
/// conversation that only the person who opened it may submit.
/// </summary>
public sealed partial class TeamsChannel(
    IServiceProvider services,
    TeamsAddresses addresses,
    DirectoryCache directory,
    IOptions<TeamsOptions> options,
    ILogger<TeamsChannel> logger) : IChatChannel
{
    public const string ChannelKind = "teams";

    internal static readonly JsonSerializerOptions FormJson = new(JsonSerializerDefaults.Web);

    // A fresh typed client per call, so the HttpClientFactory can rotate handlers under a long-lived channel.
    private ConnectorClient Connector => services.GetRequiredService<ConnectorClient>();

    private readonly ConcurrentDictionary<string, CardCapture> _captures = new(StringComparer.Ordinal);

    public string Kind => ChannelKind;

    public string WaysIn =>
        "In Teams you can write a command in our 1:1 chat, or mention me in a channel. From any message, its *More actions* menu has " +
        "*Escalate this message* and *Propose an experiment*.";

    public bool Enabled => options.Value.Enabled;

    public async Task<MessageRef> PostAsync(ConversationAddress to, Message message, CancellationToken cancellationToken)
    {
        var route = await RouteAsync(to, cancellationToken);
        var id = await Guarded(to.ConversationId, route.ServiceUrl, () => Connector.SendToConversationAsync(route.ServiceUrl, to.ConversationId, Activity(message), cancellationToken), cancellationToken);
        return new MessageRef(ChannelKind, to.ConversationId, id, route.ServiceUrl.AbsoluteUri);
    }

    public async Task UpdateAsync(MessageRef message, Message replacement, CancellationToken cancellationToken)
    {
        var card = AdaptiveCards.Render(replacement);
        if (_captures.TryGetValue(CaptureKey(message), out var capture)) capture.Card = card.DeepClone().AsObject();
        var route = await RouteAsync(new ConversationAddress(ChannelKind, message.ConversationId, message.ServiceUrl), cancellationToken);
        await Guarded(message.ConversationId, route.ServiceUrl, () => Connector.UpdateAsync(route.ServiceUrl, message.ConversationId, message.MessageId, Activity(card, replacement.FallbackText), cancellationToken), cancellationToken);
    }

    public async Task ReplyPrivatelyAsync(ConversationAddress where, string userId, Message message, CancellationToken cancellationToken)
    {
        var route = await RouteAsync(where, cancellationToken);
        if (route.Kind == ConversationKind.Direct)
        {
            await Guarded(where.ConversationId, route.ServiceUrl, () => Connector.SendToConversationAsync(route.ServiceUrl, where.ConversationId, Activity(message), cancellationToken), cancellationToken);
            return;
        }
        if (await DirectAsync(userId, message, route, cancellationToken) is null)
        {
            // Nobody to write to privately (a user the bot has never met): answer where they asked.
            LogPrivateReplyInConversation(logger);
            await Guarded(where.ConversationId, route.ServiceUrl, () => Connector.SendToConversationAsync(route.ServiceUrl, where.ConversationId, Activity(message), cancellationToken), cancellationToken);
        }
    }

    public async Task<MessageRef?> DirectMessageAsync(Person person, Message message, CancellationToken cancellationToken)
    {
        if (person.IdentityOn(ChannelKind) is not { Length: > 0 } aad) return null;
        return await DirectAsync(aad, message, fallback: null, cancellationToken);
    }

    /// <summary>
    /// In the 1:1 chat the form is a card right there. In a channel or group chat everyone would see (and could
    /// fill) that card, so the conversation gets a button that opens the form in a dialog for its owner only.
    /// </summary>
    public async Task OpenFormAsync(Interaction interaction, Form form, CancellationToken cancellationToken)
    {
        // Answering a message extension's fetchTask: the form is the invoke's answer (a dialog), not a post.
        if (interaction.Token is { } token && _forms.TryGetValue(token, out var wanted))
        {
            wanted.Form = form;
            return;
        }
        var route = await RouteAsync(interaction.Where, cancellationToken);
        var context = FormContext.Create(interaction.Actor.UserId, form);
        JsonObject card;
        if (route.Kind == ConversationKind.Direct)
        {
            card = AdaptiveCards.Render(form, await PeopleAsync(cancellationToken), context);
        }
        else
        {
            var name = interaction.Actor.DisplayName;
            card = AdaptiveCards.DialogLauncher(form.Title, $"{name}, your form is ready. Only you can open it.", "Open the form",
                new JsonObject { ["formId"] = form.FormId.ToString(), ["state"] = form.PrivateState, ["context"] = context });
        }
        await Guarded(interaction.Where.ConversationId, route.ServiceUrl,
            () => Connector.SendToConversationAsync(route.ServiceUrl, interaction.Where.ConversationId, Activity(card, form.Title), cancellationToken), cancellationToken);
    }

    public async Task<IReadOnlyList<(string Key, string Name)>> PeopleAsync(CancellationToken ct) =>
        (await directory.GetAsync(ct)).People.Select(p => (p.Key, p.Name)).ToArray();

    /// <summary>
    /// While an action on <paramref name="messageId"/> is being answered, the card any update of that message
    /// renders is kept too, so the answer to the click can carry it.
    /// </summary>
    public CardCapture Capture(MessageRef message)
    {
        var capture = new CardCapture(this, CaptureKey(message));
        _captures[CaptureKey(message)] = capture;
        return capture;
    }

    private readonly ConcurrentDictionary<string, FormCapture> _forms = new(StringComparer.Ordinal);

    /// <summary>While the turn of the invoke <paramref name="activityId"/> runs, a form it opens is kept here instead of posted.</summary>
    public FormCapture CaptureForm(string activityId)
    {
        var capture = new FormCapture(this, activityId);
        _forms[activityId] = capture;
        return capture;
    }

    public sealed class FormCapture(TeamsChannel owner, string key) : IDisposable
    {
        public Form? Form { get; set; }

        public void Dispose() => owner._forms.TryRemove(KeyValuePair.Create(key, this));
    }

    private static string CaptureKey(MessageRef message) => TeamsActivity.Base(message.ConversationId) + "|" + message.MessageId;

    public sealed class CardCapture(TeamsChannel owner, string key) : IDisposable
    {
        public JsonObject? Card { get; set; }

        public void Dispose() => owner._captures.TryRemove(KeyValuePair.Create(key, this));
    }

    /// <summary>A 1:1 message to a user by their AAD object id: the stored 1:1 conversation, else a new one (create, then send).</summary>
    private async Task<MessageRef?> DirectAsync(string userId, Message message, TeamsAddresses.Route? fallback, CancellationToken ct)
    {
        var user = await addresses.UserAsync(userId, ct);
        // Someone the bot has not met yet: the service URL and tenant of the conversation in hand, else of the last one seen.
        fallback ??= user?.ServiceUrl is null || user.TenantId is null ? (await addresses.RouteAsync("", ct)).Route : null;
        var serviceUrl = user?.ServiceUrl is { } known ? new Uri(known) : fallback?.ServiceUrl;
        var tenant = user?.TenantId ?? (string.IsNullOrWhiteSpace(options.Value.TenantId) ? null : options.Value.TenantId) ?? fallback?.TenantId;
        if (serviceUrl is null || tenant is null) return null;

        var conversation = user?.DirectConversationId;
        if (conversation is null)
        {
            // Teams accepts the AAD object id for users who have the app; the "29:" id once the bot has met them.
            conversation = await Connector.CreateConversationAsync(serviceUrl, user?.PlatformId ?? userId, tenant, ct);
            await addresses.RememberDirectConversationAsync(userId, user?.PlatformId, serviceUrl, tenant, conversation, ct);
        }
        var id = await Guarded(conversation, serviceUrl, () => Connector.SendToConversationAsync(serviceUrl, conversation, Activity(message), ct), ct);
        return new MessageRef(ChannelKind, conversation, id, serviceUrl.AbsoluteUri);
    }

    private async Task<TeamsAddresses.Route> RouteAsync(ConversationAddress to, CancellationToken ct)
    {
        var (route, stored) = await addresses.RouteAsync(to.ConversationId, ct);
        if (stored is { Active: false })
            throw new ChannelUnavailableException($"The bot was removed from Teams conversation {to.ConversationId}.");
        if (to.ServiceUrl is { } url) return new TeamsAddresses.Route(new Uri(url), to.TenantId ?? route?.TenantId, route?.Kind ?? ConversationKind.Channel);
        return route ?? throw new ChannelUnavailableException(
            $"The bot has not been added to Teams conversation {to.ConversationId} yet: add the app to that team or chat, then try again.");
    }

    /// <summary>403/404 from Teams are recorded on the stored address before they go up as a permanent failure.</summary>
    private async Task<string> Guarded(string conversationId, Uri serviceUrl, Func<Task<string>> send, CancellationToken ct)
    {
        try
        {
            return await send();
        }
        catch (ConversationUnavailableException e)
        {
            LogUnavailable(logger, (int)e.Status, e.Code);
            await addresses.MarkUnavailableAsync(conversationId, serviceUrl, $"{(int)e.Status} {e.Code}".Trim(), ct);
            throw;
        }
    }

    internal static JsonObject Activity(Message message) => Activity(AdaptiveCards.Render(message), message.FallbackText);

    /// <summary>A message activity with one card. Text stays out: Teams splits text plus a card into two messages.</summary>
    internal static JsonObject Activity(JsonObject card, string summary) => new()
    {
        ["type"] = "message",
        ["summary"] = Plain.Cut(summary, 200),
        ["attachments"] = new JsonArray(new JsonObject { ["contentType"] = AdaptiveCards.ContentType, ["content"] = card }),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "No 1:1 chat with the user is possible; the private reply went to the conversation")]
    private static partial void LogPrivateReplyInConversation(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams refused the conversation ({Status} {Code}); recorded on its address")]
    private static partial void LogUnavailable(ILogger logger, int status, string? code);
}

/// <summary>
/// What a form card carries back with its submission: who opened it, the form itself (to show it again with errors),
/// and a nonce naming this one opening of the form, so it can be submitted once.
/// </summary>
public sealed record FormContext(string? Owner, Form? Form, string? Nonce)
{
    public static JsonObject Create(string owner, Form form, string? nonce = null) => new()
    {
        ["owner"] = owner,
        ["nonce"] = nonce ?? Guid.NewGuid().ToString("N"),
        ["form"] = JsonSerializer.SerializeToNode(form with { PrivateState = null }, TeamsChannel.FormJson),
    };

    public static FormContext Read(JsonNode? data)
    {
        var context = (data as JsonObject)?["context"] as JsonObject;
        try
        {
            var form = context?["form"]?.Deserialize<Form>(TeamsChannel.FormJson);
            // A form that came back without its fields (card data edited by hand) is not a form.
            return new FormContext(context.At("owner"), form is { Fields: not null, FormId.Flow: not null, Title: not null } ? form : null, context.At("nonce"));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException)
        {
            return new FormContext(context.At("owner"), null, context.At("nonce"));
        }
    }
}
