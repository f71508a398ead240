using Bot.Core.Directory;

namespace Bot.Core.Features.Digests;

/// <summary>A team's digest settings, under <c>Directory:Teams:N:Digests</c>.</summary>
public sealed class DigestTeamSettings : ITeamSettings
{
    public const string Section = "Digests";

    /// <summary>The day and local time the weekly digest goes to the team's managers (Monday 09:00 in the team's zone).</summary>
    public DayOfWeek Day { get; set; } = DayOfWeek.Monday;
    public TimeOnly Time { get; set; } = new(9, 0);

    /// <summary>A leadership channel per channel kind that gets the digest too (none by default).</summary>
    public Dictionary<string, string> LeadershipChannels { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<string> Validate(string path, IReadOnlySet<string> people) => [];
}
