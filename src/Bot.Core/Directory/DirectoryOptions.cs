namespace Bot.Core.Directory;

/// <summary>The <c>Directory</c> configuration section: the source of truth the database is seeded from on start.</summary>
public sealed class DirectoryOptions
{
    public const string Section = "Directory";

    public List<PersonOptions> People { get; set; } = [];
    public List<TeamOptions> Teams { get; set; } = [];

    /// <summary>
    /// Optional: a number raised with each directory change. When set (here and on the stored directory), a host seeds
    /// only a higher one; without it, a directory some host seeded before counts as older than the one seeded since.
    /// </summary>
    public long? Revision { get; set; }
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
