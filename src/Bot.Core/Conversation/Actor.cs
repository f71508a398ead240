namespace Bot.Core.Conversation;

/// <summary>Who did something, as the platform knows them. <see cref="PersonKey"/> is set once resolved against the directory.</summary>
public sealed record Actor(string UserId, string DisplayName, string? PersonKey = null);
