using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Channels.Slack;

/// <summary>The Slack implementation of the channel port, over the Web API.</summary>
public sealed partial class SlackChannel(IServiceProvider services, ILogger<SlackChannel> logger) : IChatChannel
{
    // A fresh typed client per call, so the HttpClientFactory can rotate handlers under a long-lived channel.
    private SlackApiClient Api => services.GetRequiredService<SlackApiClient>();

    public const string ChannelKind = "slack";

    /// <summary>
    /// The button that opens a form for a command typed as text (a message event has no <c>trigger_id</c> to open a
    /// modal with): its value is the command, run again with the click's trigger, as the person who clicks.
    /// </summary>
    public static readonly ActionId OpenFormAction = ActionId.Internal("slack", "open-form");

    private const string TypedPrefix = "typed:";

    /// <summary>The interaction token of a command typed as text: it names the command, so a form can be offered behind a button.</summary>
    public static string TypedToken(Command command) => TypedPrefix + (command.Text.Length == 0 ? command.Name : command.Name + " " + command.Text);

    /// <summary>A conversation address inside a thread: <c>C0123:1700000000.000100</c> (Slack ids and timestamps have no colon).</summary>
    public static string InThread(string channel, string threadTs) => channel + ":" + threadTs;

    /// <summary>The channel and, for an address inside a thread, the thread's timestamp.</summary>
    public static (string Channel, string? Thread) Split(string conversationId) =>
        conversationId.IndexOf(':', StringComparison.Ordinal) is var i and > 0 ? (conversationId[..i], conversationId[(i + 1)..]) : (conversationId, null);

    // Ephemeral messages need the bot to be able to see the channel; these codes mean it cannot.
    private static readonly HashSet<string> CannotPostHere = ["channel_not_found", "not_in_channel", "user_not_in_channel", "is_archived"];

    public string Kind => ChannelKind;

    public string WaysIn =>
        "In Slack you can also write a command to me in a direct message (`escalate checkout is failing`), or mention me in a channel " +
        "(`@Ops Culture Bot escalate checkout is failing`): I answer in the thread. From any message, its *More actions* menu has " +
        "*Escalate this message* and *Propose an experiment*, and the shortcuts menu (⚡ or `/` in the message box) has *Escalate*.";

    public bool Enabled => services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SlackOptions>>().Value.Enabled;

    /// <summary>Slack's documented redirect, which opens the channel in the app or the browser.</summary>
    public string? LinkTo(MessageRef message) => "https://slack.com/app_redirect?channel=" + Uri.EscapeDataString(message.ConversationId);

    public async Task<MessageRef> PostAsync(ConversationAddress to, Message message, CancellationToken cancellationToken)
    {
        var (blocks, text) = SlackBlockKit.Render(message);
        var (where, thread) = Split(to.ConversationId);
        var (channel, ts) = await Api.PostMessageAsync(where, blocks, text, cancellationToken, message.Tag, thread);
        return new MessageRef(ChannelKind, channel, ts);
    }

    public async Task<MessageRef?> FindPostAsync(ConversationAddress to, string tag, DateTimeOffset since, CancellationToken cancellationToken)
    {
        try
        {
            var (channel, thread) = Split(to.ConversationId);
            return await Api.FindTaggedAsync(channel, tag, since, cancellationToken, thread) is { } ts ? new MessageRef(ChannelKind, channel, ts) : null;
        }
        catch (SlackPermanentException e)
        {
            // The app cannot read this conversation's history (an older install without the history scopes): the send is repeated.
            LogCannotLook(logger, e.Error);
            return null;
        }
    }

    public async Task<MessageRef?> FindDirectMessageAsync(Person person, string tag, DateTimeOffset since, CancellationToken cancellationToken)
    {
        if (person.IdentityOn(ChannelKind) is not { Length: > 0 } userId) return null;
        var dm = await Api.OpenDirectChannelAsync(userId, cancellationToken);
        return await FindPostAsync(new ConversationAddress(ChannelKind, dm), tag, since, cancellationToken);
    }

    public Task UpdateAsync(MessageRef message, Message replacement, CancellationToken cancellationToken)
    {
        var (blocks, text) = SlackBlockKit.Render(replacement);
        return Api.UpdateAsync(message.ConversationId, message.MessageId, blocks, text, cancellationToken);
    }

    public async Task ReplyPrivatelyAsync(ConversationAddress where, string userId, Message message, CancellationToken cancellationToken)
    {
        var (blocks, text) = SlackBlockKit.Render(message);
        var (channel, thread) = Split(where.ConversationId);
        try
        {
            await Api.PostEphemeralAsync(channel, userId, blocks, text, cancellationToken, thread);
        }
        catch (Exception e) when (SlackPermanentException.CodeOf(e) is { } code && CannotPostHere.Contains(code))
        {
            // Commands work in channels the bot has not joined; the person still gets the answer, in a DM.
            LogEphemeralFellBack(logger, code);
            var dm = await Api.OpenDirectChannelAsync(userId, cancellationToken);
            await Api.PostMessageAsync(dm, blocks, text, cancellationToken);
        }
    }

    public async Task<MessageRef?> DirectMessageAsync(Person person, Message message, CancellationToken cancellationToken)
    {
        if (person.IdentityOn(ChannelKind) is not { Length: > 0 } userId) return null;
        var dm = await Api.OpenDirectChannelAsync(userId, cancellationToken);
        return await PostAsync(new ConversationAddress(ChannelKind, dm), message, cancellationToken);
    }

    public async Task<bool> ShareFileAsync(ConversationAddress where, string userId, string fileName, string title, string content,
        CancellationToken cancellationToken)
    {
        var dm = await Api.OpenDirectChannelAsync(userId, cancellationToken);
        await Api.UploadFileAsync(dm, fileName, title, System.Text.Encoding.UTF8.GetBytes(content), cancellationToken);
        return true;
    }

    public async Task<bool> SendFileAsync(Person person, string fileName, string title, byte[] content, CancellationToken cancellationToken)
    {
        if (person.IdentityOn(ChannelKind) is not { Length: > 0 } userId) return false;
        await Api.UploadFileAsync(await Api.OpenDirectChannelAsync(userId, cancellationToken), fileName, title, content, cancellationToken);
        return true;
    }

    public async Task OpenFormAsync(Interaction interaction, Form form, CancellationToken cancellationToken)
    {
        if (interaction.Token is { } token && token.StartsWith(TypedPrefix, StringComparison.Ordinal))
        {
            // Typed in a message: a button opens the form, since only a click gives Slack's trigger to open a modal with.
            var launcher = Message.Build(form.Title + ": your form is ready")
                .Text($"*{form.Title}*: your form is ready. Only you can open it.")
                .Buttons(new Button(OpenFormAction, "Open the form", Plain.Cut(token[TypedPrefix.Length..], SlackBlockKit.MaxButtonValue), ButtonStyle.Primary))
                .Done();
            await ReplyPrivatelyAsync(interaction.Where, interaction.Actor.UserId, launcher, cancellationToken);
            return;
        }
        if (string.IsNullOrEmpty(interaction.Token)) throw new InvalidOperationException("Opening a Slack modal needs the interaction's trigger_id.");
        var view = SlackBlockKit.Modal(await WithSlackPeopleAsync(form with { PrivateState = null }, cancellationToken));
        view["private_metadata"] = FormState.Wrap(interaction.Where.ConversationId, form.PrivateState);
        await Api.OpenViewAsync(interaction.Token, view, cancellationToken);
    }

    /// <summary>
    /// A person picked before (a sponsor on a revised proposal) is shown by Slack's own people picker, which knows
    /// people by their Slack user id, not by their directory key.
    /// </summary>
    private async Task<Form> WithSlackPeopleAsync(Form form, CancellationToken cancellationToken)
    {
        if (!form.Fields.Any(f => f is { Kind: FieldKind.Person, Initial.Length: > 0 })) return form;
        var people = (await services.GetRequiredService<DirectoryCache>().GetAsync(cancellationToken)).People;
        return form with
        {
            Fields = form.Fields.Select(f => f is { Kind: FieldKind.Person, Initial: { Length: > 0 } key }
                && people.FirstOrDefault(p => p.Key == key)?.IdentityOn(ChannelKind) is { Length: > 0 } userId ? f with { Initial = userId } : f).ToArray(),
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look for a post that may have been sent ({Error}); sending it again")]
    private static partial void LogCannotLook(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ephemeral reply not possible ({Error}); sent as a direct message")]
    private static partial void LogEphemeralFellBack(ILogger logger, string error);

    /// <summary>A modal does not know where it was opened; the conversation travels in <c>private_metadata</c> beside the flow's state.</summary>
    internal static class FormState
    {
        public static string Wrap(string conversation, string? state)
        {
            var wrapped = new JsonObject { ["c"] = conversation, ["s"] = state }.ToJsonString();
            return wrapped.Length <= SlackBlockKit.MaxPrivateMetadata
                ? wrapped
                : throw new InvalidOperationException("Form state is longer than Slack's private_metadata keeps.");
        }

        public static (string? Conversation, string? State) Unwrap(string? metadata)
        {
            if (string.IsNullOrEmpty(metadata)) return (null, null);
            try
            {
                var node = JsonNode.Parse(metadata);
                return (node.Str("c"), node.Str("s"));
            }
            catch (JsonException)
            {
                return (null, null);
            }
        }
    }
}
