namespace Bot.Core.Conversation;

/// <summary>
/// Who did something, as the platform knows them. <see cref="PersonKey"/> is set once resolved against the directory.
/// A display name is cut to <see cref="MaxName"/> here, once, so every column that stores a name takes it on every
/// database (Teams allows 256 characters).
/// </summary>
public sealed record Actor(string UserId, string DisplayName, string? PersonKey = null)
{
    public const int MaxName = 200;

    public string DisplayName { get; init; } = Plain.Cut(DisplayName, MaxName);
}
