using Bot.Core.Directory;

namespace Bot.Core.Features.Incidents;

/// <summary>A team's incident settings, under <c>Directory:Teams:N:Incidents</c>; <c>ResponsePlanArn</c> directly under the team still works.</summary>
public sealed class IncidentTeamSettings : ITeamSettings
{
    public const string Section = "Incidents";

    /// <summary>The team's AWS Incident Manager response plan: escalations get a "Start incident" button, and incidents under it belong to the team.</summary>
    public string? ResponsePlanArn { get; set; }

    public string? Plan => string.IsNullOrWhiteSpace(ResponsePlanArn) ? null : ResponsePlanArn.Trim();

    public IEnumerable<string> Validate(string path, IReadOnlySet<string> people) => [];
}
