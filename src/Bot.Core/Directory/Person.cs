namespace Bot.Core.Directory;

/// <summary>Someone the bot knows, with their ids on each platform. Keyed by a short stable key from configuration.</summary>
public sealed class Person
{
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Email { get; set; }
    public string TimeZone { get; set; } = "UTC";
    public string? SlackUserId { get; set; }
    public string? TeamsAadObjectId { get; set; }
}
