using System.Text.Json.Nodes;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Features.Help;
using Bot.Core.Flows;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Channels.Teams;

/// <summary>
/// What the bot does with each kind of activity, once its token was valid. Messages, installs and card submits
/// that arrive as messages run on the work queue after the acknowledgement; card actions (invokes) run inline,
/// because their answer is the updated card.
/// </summary>
public sealed class TeamsTurns(
    BotDbContext db,
    BotRouter router,
    HelpFlow help,
    TeamsChannel channel,
    TeamsAddresses addresses,
    TeamsIdentity identity,
    ConnectorClient connector,
    TurnFollowUps followUps,
    DeliveryClaims claims,
    TimeProvider clock,
    TeamsCardSeal seal)
{
    private const string Submissions = "teams-form";

    /// <summary>A typed message: a command (mention stripped), or a card's Action.Submit fallback carrying a button or a form.</summary>
    public async Task MessageAsync(TeamsActivity a, Command command, CancellationToken ct)
    {
        await addresses.RememberAsync(a, ct);
        if (!await claims.TryClaimAsync(Deliveries, DeliveryKey(a), ct)) return;
        if (a.ValueObject is { } data && (data.At("actionId") is not null || data.At("formId") is not null))
        {
            if (await seal.VerifyAsync(data, a.ConversationId, ct)) await FallbackSubmitAsync(a, data, ct);
            else await channel.ReplyPrivatelyAsync(a.Where, a.UserId ?? "", Message.Text(NotMine), ct);
            return;
        }
        await identity.EnsureLinkedAsync(a, ct);
        await router.HandleCommandAsync(Interaction(a), command, ct);
    }

    /// <summary>Teams redelivers an activity it is not sure arrived; its id in its conversation is claimed once.</summary>
    public static string DeliveryKey(TeamsActivity a) => $"{a.ConversationId}|{a.Id}";

    public const string Deliveries = "teams-activity";

    /// <summary>The bot was added (greet once, with what it can do) or removed (mark the address inactive).</summary>
    public async Task MembershipAsync(TeamsActivity a, CancellationToken ct)
    {
        var bot = a.BotId;
        var added = a.Type == "installationUpdate" ? a.Action is "add" or "add-upgrade" : a.MembersAdded.Contains(bot);
        var removed = a.Type == "installationUpdate" ? a.Action is "remove" or "remove-upgrade" : a.MembersRemoved.Contains(bot);
        if (removed && a.BaseConversationId is { } gone)
        {
            await addresses.DeactivateAsync(gone, ct);
            return;
        }
        if (!added)
        {
            await addresses.RememberAsync(a, ct);
            return;
        }
        if (await addresses.ActivateAsync(a, ct))
            await connector.SendToConversationAsync(new Uri(a.ServiceUrl!), a.ConversationId!, TeamsChannel.Activity(Greeting()), ct);
    }

    /// <summary>An <c>adaptiveCard/action</c> invoke: a button or a form submit, answered with the card that replaces the clicked one.</summary>
    public async Task<JsonObject> CardActionAsync(TeamsActivity a, CancellationToken ct)
    {
        await addresses.RememberAsync(a, ct);
        await identity.EnsureLinkedAsync(a, ct);
        var action = a.ValueObject?["action"] as JsonObject;
        var data = action?["data"] as JsonObject ?? [];
        if (data.At("actionId") is null && data.At("formId") is null || !await seal.VerifyAsync(data, a.ConversationId, ct)) return MessageResponse(NotMine);
        if (action.At("verb") == AdaptiveCards.SubmitVerb)
        {
            var outcome = await SubmitAsync(a, data, dialog: false, ct);
            return outcome.Card is { } card ? CardResponse(card) : MessageResponse(outcome.Toast ?? "Done.");
        }

        var actionId = data.At("actionId") ?? "";
        using var capture = MessageOf(a) is { } clicked ? channel.Capture(clicked) : null;
        // The click's follow-ups (such as re-rendering the card) run before the answer, so the answer can carry the new card.
        followUps.Hold();
        try
        {
            await router.HandleActionAsync(Interaction(a), new ButtonAction(ActionId.FromWire(actionId), data.At("value") ?? "", MessageOf(a)), ct);
        }
        finally
        {
            await followUps.RunAsync(ct);
        }
        return capture?.Card is { } updated ? CardResponse(updated) : MessageResponse("Done.");
    }

    private async Task FallbackSubmitAsync(TeamsActivity a, JsonObject data, CancellationToken ct)
    {
        await identity.EnsureLinkedAsync(a, ct);
        if (data.At("formId") is null)
        {
            await router.HandleActionAsync(Interaction(a), new ButtonAction(ActionId.FromWire(data.At("actionId")), data.At("value") ?? "", MessageOf(a)), ct);
            return;
        }
        // Action.Submit cannot answer with a card: the form message itself is updated instead.
        var outcome = await SubmitAsync(a, data, dialog: false, ct);
        if (outcome is { Accepted: false, Card: { } again } && MessageOf(a) is { } form)
            await connector.UpdateAsync(new Uri(a.ServiceUrl!), form.ConversationId, form.MessageId, TeamsChannel.Activity(again, "Form"), ct);
        else if (outcome.Toast is not null)
            await channel.ReplyPrivatelyAsync(a.Where, a.UserId ?? "", Message.Text(outcome.Toast), ct);
    }

    /// <summary><c>task/fetch</c> from a form's "Open the form" button: the form in a dialog, for its owner, until it is sent.</summary>
    public async Task<JsonObject> DialogFetchAsync(TeamsActivity a, CancellationToken ct)
    {
        await addresses.RememberAsync(a, ct);
        var data = a.ValueObject?["data"] as JsonObject ?? [];
        if (!await seal.VerifyAsync(data, a.ConversationId, ct)) return AdaptiveCards.DialogMessage(NotMine);
        var context = FormContext.Read(data);
        if (context.Form is null || data.At("formId") is null) return AdaptiveCards.DialogMessage("That form is no longer in use.");
        if (context.Owner is null || context.Owner != a.UserId) return AdaptiveCards.DialogMessage(NotYours);
        if (context.Nonce is { } nonce && await db.InboundDeliveries.AnyAsync(d => d.Source == Submissions && d.Key == nonce, ct))
            return AdaptiveCards.DialogMessage(AlreadySent);
        var form = context.Form with { PrivateState = data.At("state") };
        return AdaptiveCards.Dialog(form.Title, AdaptiveCards.Render(form, await channel.PeopleAsync(ct), Context(data), dialog: true));
    }

    /// <summary>
    /// <c>task/submit</c> from the dialog (and <c>composeExtension/submitAction</c> from a message action's dialog, which
    /// carries its data the same way): the form again with its errors, or the dialog closes with a short message.
    /// </summary>
    public async Task<JsonObject> DialogSubmitAsync(TeamsActivity a, CancellationToken ct)
    {
        await addresses.RememberAsync(a, ct);
        await identity.EnsureLinkedAsync(a, ct);
        var data = a.ValueObject?["data"] as JsonObject ?? [];
        if (!await seal.VerifyAsync(data, a.ConversationId, ct)) return AdaptiveCards.DialogMessage(NotMine);
        var outcome = await SubmitAsync(a, data, dialog: true, ct);
        return outcome.Card is { } again && !outcome.Accepted
            ? AdaptiveCards.Dialog(FormContext.Read(data).Form?.Title ?? "Form", again)
            : AdaptiveCards.DialogMessage(outcome.Toast ?? "Sent.");
    }

    /// <summary>
    /// <c>composeExtension/fetchTask</c> from a message's <i>More actions</i> menu ("Escalate this message"): the command
    /// runs with the message's text and a link back to it, and the form it opens is the answer, shown as a dialog.
    /// </summary>
    public async Task<JsonObject> MessageActionFetchAsync(TeamsActivity a, CancellationToken ct)
    {
        await addresses.RememberAsync(a, ct);
        await identity.EnsureLinkedAsync(a, ct);
        var value = a.ValueObject ?? [];
        if (!TeamsMessageActions.Commands.TryGetValue(value.At("commandId") ?? "", out var name) || a.Id is not { } activityId)
            return AdaptiveCards.DialogMessage("That action is not one of mine.");
        var message = value["messagePayload"] as JsonObject;
        var command = new Command(name, TeamsMessageActions.Text(message)) { From = TeamsMessageActions.Source(a, message) };
        using var capture = channel.CaptureForm(activityId);
        await router.HandleCommandAsync(Interaction(a), command, ct);
        if (capture.Form is not { } form) return AdaptiveCards.DialogMessage("There is nothing to fill in for that here.");
        return AdaptiveCards.Dialog(form.Title, AdaptiveCards.Render(form, await channel.PeopleAsync(ct), FormContext.Create(a.UserId ?? "", form), dialog: true));
    }

    private const string NotYours = "This form belongs to the person who opened it. Type the command yourself to get your own.";
    private const string AlreadySent = "This form was already submitted.";
    private const string NotMine = "That card was not sent by me, or it was changed on its way back, so I did nothing with it.";

    private sealed record Outcome(bool Accepted, JsonObject? Card, string? Toast);

    /// <summary>
    /// Validates and hands a submitted form to its flow. Only the person who opened it may submit it, and only once:
    /// the first submit claims the form's nonce (a refused one gives the claim back). Returns the form again with its
    /// errors, or the closed card that replaces it, or a short message when there is nothing to show.
    /// </summary>
    private async Task<Outcome> SubmitAsync(TeamsActivity a, JsonObject data, bool dialog, CancellationToken ct)
    {
        var context = FormContext.Read(data);
        if (context.Owner is null || context.Owner != a.UserId) return new Outcome(false, null, NotYours);
        if (data.At("formId") is not { } formId) return new Outcome(false, null, "That form is no longer in use.");

        var values = data.Where(p => p.Key is not ("formId" or "state" or "context" or "actionId" or "msteams"))
            .ToDictionary(p => p.Key, p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : p.Value?.ToJsonString());
        var key = context.Nonce ?? $"{a.BaseConversationId}|{a.ReplyToId ?? formId}";
        if (!await db.TryClaimDeliveryAsync(Submissions, key, clock.GetUtcNow(), ct)) return new Outcome(false, null, AlreadySent);

        var state = data.At("state");
        FormResult result;
        try
        {
            result = await router.HandleSubmissionAsync(Interaction(a), new FormSubmission(FormId.FromWire(formId), values, state), ct);
        }
        catch
        {
            await db.ReleaseDeliveryAsync(Submissions, key, CancellationToken.None);
            throw;
        }
        if (result.Failed)
        {
            // Nothing was stored and the person was told: the form stays open so they can send it again.
            await db.ReleaseDeliveryAsync(Submissions, key, ct);
            return new Outcome(false, null, "Nothing was sent; please try again.");
        }
        if (!result.IsAccepted)
        {
            await db.ReleaseDeliveryAsync(Submissions, key, ct);
            if (context.Form is null) return new Outcome(false, null, string.Join(" ", result.Errors.Values));
            var again = context.Form.WithErrors(result.Errors, values) with { PrivateState = state };
            return new Outcome(false, AdaptiveCards.Render(again, await channel.PeopleAsync(ct), Context(data), dialog), null);
        }

        var title = context.Form?.Title ?? "Form";
        var done = AdaptiveCards.Render(Message.Build($"{title}: sent").Header(title).Context($"Sent by {a.FromName}. This form is closed.").Done());
        if (MessageOf(a) is { } message)
        {
            // Everyone in the conversation sees it closed (the form card, or the button that opened the dialog).
            await connector.UpdateAsync(new Uri(a.ServiceUrl!), message.ConversationId, message.MessageId, TeamsChannel.Activity(done, "Form sent"), ct);
        }
        return new Outcome(true, done, dialog ? $"Thanks, {a.FromName}: {title} sent." : null);
    }

    /// <summary>The context a form card came with, carried on unchanged (same owner, same nonce) when it is shown again.</summary>
    private static JsonObject Context(JsonObject data) => data["context"]?.DeepClone().AsObject() ?? [];

    private Message Greeting()
    {
        var commands = help.Render(unknown: null);
        var blocks = new List<Block>
        {
            new HeaderBlock("Thanks for adding me"),
            new TextBlock("I help this team escalate early, run experiments in the open and learn from incidents without blame. Mention me or write in our chat:"),
        };
        blocks.AddRange(commands.Blocks.Where(b => b is TextBlock or ContextBlock));
        return new Message(blocks, "Thanks for adding me. Type help to see what I can do.");
    }

    private static Interaction Interaction(TeamsActivity a) => new(TeamsChannel.ChannelKind, a.Actor, a.Where, a.Id);

    private static MessageRef? MessageOf(TeamsActivity a) =>
        a.ReplyToId is { } id && a.BaseConversationId is { } conversation ? new MessageRef(TeamsChannel.ChannelKind, conversation, id, a.ServiceUrl) : null;

    private static JsonObject CardResponse(JsonObject card) => new()
    {
        ["statusCode"] = 200, ["type"] = AdaptiveCards.ContentType, ["value"] = card.Parent is null ? card : card.DeepClone(),
    };

    private static JsonObject MessageResponse(string text) => new()
    {
        ["statusCode"] = 200, ["type"] = "application/vnd.microsoft.activity.message", ["value"] = text,
    };
}

/// <summary>
/// Help, and help for anything unknown, need no state: they skip the turn (no router, no database context) and are
/// the same card every time, rendered once per command name and sent as stored bytes. Busy bots answer "help" far
/// more often than anything else. The activity is still claimed, so a redelivered one is answered once.
/// </summary>
public sealed class TeamsQuickAnswers(TeamsAddresses addresses, DeliveryClaims claims, TeamsCardSeal seal)
{
    private const int MaxKept = 256;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> _rendered = new(StringComparer.Ordinal);

    public async Task AnswerAsync(IServiceProvider services, TeamsActivity a, Command command, Message answer, CancellationToken ct)
    {
        await addresses.RememberAsync(a, ct);
        if (!await claims.TryClaimAsync(TeamsTurns.Deliveries, TeamsTurns.DeliveryKey(a), ct)) return;
        var connector = services.GetRequiredService<ConnectorClient>();
        await connector.ReplyAsync(new Uri(a.ServiceUrl!), a.ConversationId!, a.Id!, await RenderedAsync(command, answer, ct), ct);
    }

    private async Task<byte[]> RenderedAsync(Command command, Message answer, CancellationToken ct)
    {
        if (_rendered.TryGetValue(command.Name, out var bytes)) return bytes;
        var activity = TeamsChannel.Activity(answer);
        // Serialized once for every conversation: its seals are bound to none (help carries no record's actions).
        await seal.SealAsync(activity, null, ct);
        bytes = System.Text.Encoding.UTF8.GetBytes(activity.ToJsonString());
        // Unknown names echo what was typed, so the cache is bounded.
        if (_rendered.Count < MaxKept) _rendered[command.Name] = bytes;
        return bytes;
    }
}
