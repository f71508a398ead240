namespace Bot.Channels.Teams;

/// <summary>The <c>Teams</c> section: the bot registration and the Bot Framework endpoints (overridable for tests and other clouds).</summary>
public sealed class TeamsOptions
{
    public const string Section = "Teams";

    public string? AppId { get; set; }
    public string? AppPassword { get; set; }

    /// <summary>Empty for a multi-tenant bot.</summary>
    public string? TenantId { get; set; }

    public Uri OpenIdMetadataUrl { get; set; } = new("https://login.botframework.com/v1/.well-known/openidconfiguration");

    /// <summary>Accepted token issuers; the Bot Framework's own by default (single-tenant bots add their tenant's Entra issuers).</summary>
    public List<string> ValidIssuers { get; set; } = ["https://api.botframework.com"];

    /// <summary>Hosts (or parent domains) a bot token may be sent to.</summary>
    public List<string> AllowedServiceUrlHosts { get; set; } = ["botframework.com", "smba.trafficmanager.net", "teams.microsoft.com", "teams.microsoft.us"];

    public bool Enabled => !string.IsNullOrWhiteSpace(AppId) && !string.IsNullOrWhiteSpace(AppPassword);
}
