namespace Bot.Core.Directory;

public sealed class Team
{
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
    public string TimeZone { get; set; } = "UTC";
    public List<string> Members { get; set; } = [];
    public List<string> Managers { get; set; } = [];

    /// <summary>The team's channel per channel kind, e.g. "slack" → "C0123", "playground" → "#payments".</summary>
    public Dictionary<string, string> Channels { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public OnCallRotation OnCall { get; set; } = new();

    /// <summary>Whether the person is on the team: a member, a manager or in the on-call rotation.</summary>
    public bool Includes(string personKey) => Members.Contains(personKey) || Managers.Contains(personKey) || OnCall.Members.Contains(personKey);

    public string? ChannelFor(string channelKind) =>
        Channels.FirstOrDefault(c => string.Equals(c.Key, channelKind, StringComparison.OrdinalIgnoreCase)).Value;
}

public sealed class Service
{
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
    public string TeamKey { get; set; } = "";
}

/// <summary>Ordered members taking turns; a shift starts on <see cref="HandoffDay"/> at <see cref="HandoffTime"/> in the team's time zone.</summary>
public sealed class OnCallRotation
{
    public List<string> Members { get; set; } = [];
    public DayOfWeek HandoffDay { get; set; } = DayOfWeek.Monday;
    public TimeOnly HandoffTime { get; set; } = new(9, 0);
    public TimeSpan ShiftLength { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The first shift starts at the first hand-off on or after this date, with <c>Members[0]</c>.</summary>
    public DateOnly StartsOn { get; set; } = new(2026, 1, 5);
}
