namespace Bot.Core.Conversation;

/// <summary>
/// One thing a person did in a channel: who, where, and an opaque token the channel needs to answer it
/// (a Slack trigger id, a Teams activity id, a playground entry id).
/// </summary>
public sealed record Interaction(string Channel, Actor Actor, ConversationAddress Where, string? Token = null);
