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

    // Ephemeral messages need the bot to be able to see the channel; these codes mean it cannot.
    private static readonly HashSet<string> CannotPostHere = ["channel_not_found", "not_in_channel", "user_not_in_channel", "is_archived"];

    public string Kind => ChannelKind;

    public bool Enabled => services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SlackOptions>>().Value.Enabled;

    /// <summary>Slack's documented redirect, which opens the channel in the app or the browser.</summary>
    public string? LinkTo(MessageRef message) => "https://slack.com/app_redirect?channel=" + Uri.EscapeDataString(message.ConversationId);

    public async Task<MessageRef> PostAsync(ConversationAddress to, Message message, CancellationToken cancellationToken)
    {
        var (blocks, text) = SlackBlockKit.Render(message);
        var (channel, ts) = await Api.PostMessageAsync(to.ConversationId, blocks, text, cancellationToken, message.Tag);
        return new MessageRef(ChannelKind, channel, ts);
    }

    public async Task<MessageRef?> FindPostAsync(ConversationAddress to, string tag, DateTimeOffset since, CancellationToken cancellationToken)
    {
        try
        {
            return await Api.FindTaggedAsync(to.ConversationId, tag, since, cancellationToken) is { } ts ? new MessageRef(ChannelKind, to.ConversationId, ts) : null;
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
        try
        {
            await Api.PostEphemeralAsync(where.ConversationId, userId, blocks, text, cancellationToken);
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

    public Task OpenFormAsync(Interaction interaction, Form form, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(interaction.Token)) throw new InvalidOperationException("Opening a Slack modal needs the interaction's trigger_id.");
        var view = SlackBlockKit.Modal(form with { PrivateState = null });
        view["private_metadata"] = FormState.Wrap(interaction.Where.ConversationId, form.PrivateState);
        return Api.OpenViewAsync(interaction.Token, view, cancellationToken);
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
