using Bot.Core.Directory;

namespace Bot.Core.Features.Incidents;

/// <summary>What the bot asks an incident tool to start from chat.</summary>
public sealed record IncidentStart(string Title, int Impact, string Summary, string LinkTitle, string? LinkUrl, DateTimeOffset At);

/// <summary>
/// An incident tool the bot writes back to (AWS Incident Manager today). Core decides when; the adapter speaks the
/// tool's API. Every call carries a client token derived from the stored request, so a repeated call has one effect.
/// </summary>
public interface IExternalIncidents
{
    /// <summary>The <see cref="Incident.Source"/> of the incidents this tool owns, e.g. <c>aws-incident-manager</c>.</summary>
    string Source { get; }

    /// <summary>Whether the tool is configured on this host; when not, nothing is written to it.</summary>
    bool Enabled { get; }

    /// <summary>Whether an escalation of this team can start an incident here (the team has a response plan).</summary>
    bool CanStartFor(Team team);

    /// <summary>Starts an incident; returns its id in the tool (an ARN).</summary>
    Task<string> StartAsync(Team team, IncidentStart start, string clientToken, CancellationToken ct);

    /// <summary>The incident as the tool has it now, with the team it belongs to when the tool's data tells.</summary>
    Task<IncidentReport> ReadAsync(string externalId, CancellationToken ct);

    /// <summary>Adds a custom event to the incident's timeline.</summary>
    Task AddTimelineEventAsync(string externalId, DateTimeOffset at, string text, string clientToken, CancellationToken ct);

    /// <summary>Marks the incident resolved.</summary>
    Task ResolveAsync(string externalId, string clientToken, CancellationToken ct);

    /// <summary>The tool's own timeline of the incident, oldest first.</summary>
    Task<IReadOnlyList<ToolTimelineEvent>> ReadTimelineAsync(string externalId, CancellationToken ct) => Task.FromResult<IReadOnlyList<ToolTimelineEvent>>([]);

    /// <summary>Links a page (the post-incident review) from the incident in the tool.</summary>
    Task AddRelatedLinkAsync(string externalId, string title, string url, string clientToken, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Where a person opens the incident in the tool.</summary>
    string? ConsoleUrl(string externalId);
}

/// <summary>An entry of an incident tool's timeline, with the tool's id for it (to notice when it is edited there).</summary>
public sealed record ToolTimelineEvent(string Id, DateTimeOffset At, string Text);

/// <summary>The tool refused for a reason a person can act on (no permission, invalid request); retrying will not help.</summary>
public sealed class IncidentToolRefusedException(string plainWords, Exception? inner = null) : Exception(plainWords, inner);
