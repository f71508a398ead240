namespace Bot.Core.Directory;

/// <summary>The <c>Directory</c> configuration section: the source of truth the database is seeded from on start.</summary>
public sealed class DirectoryOptions
{
    public const string Section = "Directory";

    public List<Person> People { get; set; } = [];
    public List<TeamOptions> Teams { get; set; } = [];
}

public sealed class TeamOptions
{
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
    public string TimeZone { get; set; } = "UTC";
    public List<string> Members { get; set; } = [];
    public List<string> Managers { get; set; } = [];
    public List<ServiceOptions> Services { get; set; } = [];
    public Dictionary<string, string> Channels { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public OnCallRotation OnCall { get; set; } = new();
    public List<EscalationLevel> EscalationPath { get; set; } = [];
    public AckTimeouts AckTimeouts { get; set; } = new();
    public string? ResponsePlanArn { get; set; }

    public Team ToTeam() => new()
    {
        Key = Key,
        Name = Name,
        TimeZone = TimeZone,
        Members = Members,
        Managers = Managers,
        Channels = new Dictionary<string, string>(Channels, StringComparer.OrdinalIgnoreCase),
        OnCall = OnCall,
        EscalationPath = EscalationPath.Count > 0 ? EscalationPath : DefaultPath(),
        AckTimeouts = AckTimeouts,
        ResponsePlanArn = string.IsNullOrWhiteSpace(ResponsePlanArn) ? null : ResponsePlanArn.Trim(),
    };

    private static List<EscalationLevel> DefaultPath() =>
    [
        new() { Name = "Primary on-call", Notify = EscalationTarget.PrimaryOnCall },
        new() { Name = "Secondary on-call", Notify = EscalationTarget.SecondaryOnCall },
        new() { Name = "Managers", Notify = EscalationTarget.Managers },
    ];
}

public sealed class ServiceOptions
{
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
}
