namespace Bot.Core.Conversation;

/// <summary>
/// The port every channel (Slack, Teams, the playground) implements. Flows only ever talk to chat through this.
/// Implementations render the neutral <see cref="Message"/> and <see cref="Form"/> within their platform's limits.
/// </summary>
public interface IChatChannel
{
    /// <summary>The channel kind this implementation serves, e.g. "slack".</summary>
    string Kind { get; }

    /// <summary>Whether this host is connected to the platform (its credentials are set), so posts unprompted by a person (incidents) can go there.</summary>
    bool Enabled { get; }

    /// <summary>Posts a message visible to everyone in the conversation.</summary>
    Task<MessageRef> PostAsync(ConversationAddress to, Message message, CancellationToken cancellationToken);

    /// <summary>Replaces a message posted earlier.</summary>
    Task UpdateAsync(MessageRef message, Message replacement, CancellationToken cancellationToken);

    /// <summary>Shows a message only to <paramref name="userId"/> in the conversation (ephemeral where the platform supports it).</summary>
    Task ReplyPrivatelyAsync(ConversationAddress where, string userId, Message message, CancellationToken cancellationToken);

    /// <summary>Sends a direct message to a directory person; returns null when the person cannot be reached on this channel.</summary>
    Task<MessageRef?> DirectMessageAsync(Directory.Person person, Message message, CancellationToken cancellationToken);

    /// <summary>
    /// The message tagged <paramref name="tag"/> (see <see cref="Message.Tag"/>) posted to <paramref name="to"/> since
    /// <paramref name="since"/>: a send that may have gone through (a crash, a timeout) is looked for before it is
    /// repeated. Null when there is none, or when the platform cannot look (then the send is repeated).
    /// </summary>
    Task<MessageRef?> FindPostAsync(ConversationAddress to, string tag, DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult<MessageRef?>(null);

    /// <summary>Like <see cref="FindPostAsync"/>, in the direct conversation with <paramref name="person"/>.</summary>
    Task<MessageRef?> FindDirectMessageAsync(Directory.Person person, string tag, DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult<MessageRef?>(null);

    /// <summary>A link that opens the conversation of a posted message in the platform, where the platform has one without an API call.</summary>
    string? LinkTo(MessageRef message) => null;

    /// <summary>How people reach the bot on this platform besides its commands (direct messages, mentions), for the help.</summary>
    string? WaysIn => null;

    /// <summary>
    /// Sends <paramref name="userId"/> a text file (an exported review) where the platform keeps files, in a direct
    /// conversation; false where it does not (the person then has the download link only).
    /// </summary>
    Task<bool> ShareFileAsync(ConversationAddress where, string userId, string fileName, string title, string content, CancellationToken cancellationToken) =>
        Task.FromResult(false);

    /// <summary>
    /// Sends <paramref name="person"/> a file (a digest's chart where it cannot be linked) in a direct conversation,
    /// where the platform keeps files; false where it does not.
    /// </summary>
    Task<bool> SendFileAsync(Directory.Person person, string fileName, string title, byte[] content, CancellationToken cancellationToken) =>
        Task.FromResult(false);

    /// <summary>Opens a form in answer to an interaction (a modal, a dialog, an inline card).</summary>
    Task OpenFormAsync(Interaction interaction, Form form, CancellationToken cancellationToken);
}
