namespace Bot.Core.Conversation;

/// <summary>
/// A channel refused a send for good (the bot was removed, the conversation is gone, the user blocked the bot).
/// Reminders that meet it are marked failed with the reason instead of being retried forever.
/// </summary>
public class ChannelUnavailableException(string message) : Exception(message)
{
    /// <summary>The conversation that could not be reached, where the sender knows it (a team's channel).</summary>
    public ConversationAddress? Where { get; set; }
}
