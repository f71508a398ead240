namespace Bot.Core.Conversation;

/// <summary>A message the bot posted, so a flow can update it later (e.g. "Acknowledged by Sam").</summary>
public sealed record MessageRef(string Channel, string ConversationId, string MessageId, string? ServiceUrl = null);
