namespace Bot.Core.Conversation;

/// <summary>
/// Where a message goes, in channel-neutral form: the channel kind (e.g. "slack", "teams", "playground")
/// and that platform's conversation id. Teams adds its service URL and tenant so proactive messages can be sent later.
/// </summary>
public sealed record ConversationAddress(string Channel, string ConversationId, string? ServiceUrl = null, string? TenantId = null);
