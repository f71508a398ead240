namespace Bot.Core.Conversation;

public enum EntryKind { Message, Form, PersonText }

public enum FormState { Open, Submitted, Closed }

/// <summary>
/// One item in a stored conversation transcript: what a person typed, a message the bot posted, a form it showed.
/// The playground channel keeps its whole conversation state here; other channels may record what they sent.
/// </summary>
public sealed class ConversationEntry
{
    public long Id { get; set; }
    public string Channel { get; set; } = "";
    public string ConversationId { get; set; } = "";
    public EntryKind Kind { get; set; }

    /// <summary>The person who wrote it; null for the bot.</summary>
    public string? AuthorKey { get; set; }

    /// <summary>When set, only this person sees the entry (an ephemeral reply, a form).</summary>
    public string? VisibleTo { get; set; }

    /// <summary>The neutral <see cref="Message"/> or <see cref="Form"/> as JSON, or the typed text.</summary>
    public string Body { get; set; } = "";

    public FormState? FormState { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Revision { get; set; }
}
