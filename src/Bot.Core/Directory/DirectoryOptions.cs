namespace Bot.Core.Directory;

/// <summary>The <c>Directory</c> configuration section: the source of truth the database is seeded from on start.</summary>
public sealed class DirectoryOptions
{
    public const string Section = "Directory";

    public List<PersonOptions> People { get; set; } = [];
    public List<TeamOptions> Teams { get; set; } = [];
}

/// <summary>
/// One team: what every feature shares. Features add their own sections under the team (<c>Escalation</c>,
/// <c>Incidents</c>, …), registered with <see cref="TeamSettingsRegistration.AddTeamSettings{T}"/>.
/// </summary>
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

    public Team ToTeam() => new()
    {
        Key = Key,
        Name = Name,
        TimeZone = TimeZone,
        Members = Members,
        Managers = Managers,
        Channels = new Dictionary<string, string>(Channels, StringComparer.OrdinalIgnoreCase),
        OnCall = OnCall,
    };
}

public sealed class ServiceOptions
{
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
}
