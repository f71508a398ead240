namespace Bot.Core.Conversation;

public enum ConversationKind { Direct, Group, Channel }

/// <summary>
/// A conversation the bot has been added to, as the platform described it, so reminders and digests can post there
/// later: for Teams the service URL, tenant and team. Marked inactive when the bot is removed, and unavailable
/// (with the platform's reason) when a send is refused for good.
/// </summary>
public sealed class StoredConversation
{
    public string Channel { get; set; } = "";
    public string ConversationId { get; set; } = "";
    public ConversationKind Kind { get; set; }
    public string? ServiceUrl { get; set; }
    public string? TenantId { get; set; }
    public string? TeamId { get; set; }
    public string? Name { get; set; }
    public bool Active { get; set; } = true;

    /// <summary>Why the platform last refused a send here (e.g. "403 BotNotInConversationRoster"); cleared when the bot is added again.</summary>
    public string? Unavailable { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// A platform user the bot has met: the stable id the person resolver uses (a Teams AAD object id), the platform's
/// own id for messaging (a Teams "29:" id), where to reach them, and the direct conversation once one exists.
/// </summary>
public sealed class StoredUser
{
    public string Channel { get; set; } = "";
    public string UserId { get; set; } = "";
    public string? PlatformId { get; set; }
    public string? Name { get; set; }
    public string? ServiceUrl { get; set; }
    public string? TenantId { get; set; }
    public string? DirectConversationId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
