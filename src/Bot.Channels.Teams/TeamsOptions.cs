using Bot.Core.Conversation;
namespace Bot.Channels.Teams;

/// <summary>The <c>Teams</c> section: the bot registration and the Bot Framework endpoints (overridable for tests and other clouds).</summary>
public sealed class TeamsOptions : IWorkQueueSettings
{
    public const string Section = "Teams";

    public string? AppId { get; set; }
    public string? AppPassword { get; set; }

    /// <summary>Empty for a multi-tenant bot.</summary>
    public string? TenantId { get; set; }

    /// <summary>Client-credentials token endpoint; default derived from the tenant (or botframework.com when multi-tenant).</summary>
    public Uri? TokenEndpoint { get; set; }

    public Uri TokenEndpointOrDefault =>
        TokenEndpoint ?? new Uri($"https://login.microsoftonline.com/{(string.IsNullOrWhiteSpace(TenantId) ? "botframework.com" : TenantId)}/oauth2/v2.0/token");

    public Uri OpenIdMetadataUrl { get; set; } = new("https://login.botframework.com/v1/.well-known/openidconfiguration");

    public const string BotFrameworkIssuer = "https://api.botframework.com";

    public static readonly IReadOnlyList<string> DefaultIssuers = [BotFrameworkIssuer];

    /// <summary>The Entra tenants the Bot Framework issues channel tokens from (public cloud).</summary>
    public static readonly IReadOnlyList<string> BotFrameworkTenants =
        ["d6d49420-f39b-4df7-a1dc-d59a935871db", "f8cdef31-a31e-4b4a-93e4-5f571e91255a", "69e9b82d-4842-4902-8d1e-abc5b98a55e8"];

    /// <summary>Where the keys of Entra-issued channel tokens come from.</summary>
    public Uri EntraOpenIdMetadataUrl { get; set; } = new("https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration");

    /// <summary>
    /// Entra issuers accepted for channel tokens: the Bot Framework's own tenants (v1 <c>sts.windows.net</c> and v2
    /// <c>login.microsoftonline.com</c> form). The bot's own tenant is not among them: any app registered there could
    /// get a token for the bot's app id.
    /// </summary>
    public IReadOnlySet<string> EntraIssuers => BotFrameworkTenants
        .SelectMany(t => new[] { $"https://sts.windows.net/{t}/", $"https://login.microsoftonline.com/{t}/v2.0" }).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Tenants whose activities are accepted; empty means <see cref="TenantId"/> when set, else any tenant, which must
    /// be asked for with <see cref="AllowAnyTenant"/>. People are linked by email only for activities from a listed tenant.
    /// </summary>
    public List<string> AllowedTenants { get; set; } = [];

    /// <summary>
    /// A multi-tenant registration that serves every organisation that installs it. Off by default: without a tenant
    /// list, start-up fails rather than letting any Microsoft 365 tenant talk to the bot by accident.
    /// </summary>
    public bool AllowAnyTenant { get; set; }

    public IReadOnlyList<string> Tenants => AllowedTenants.Count > 0 ? AllowedTenants : string.IsNullOrWhiteSpace(TenantId) ? [] : [TenantId];

    public bool AcceptsTenant(string? tenant) => Tenants.Count == 0 || (tenant is not null && Tenants.Contains(tenant, StringComparer.OrdinalIgnoreCase));
    public static readonly IReadOnlyList<string> DefaultServiceUrlHosts = ["botframework.com", "smba.trafficmanager.net", "teams.microsoft.com", "teams.microsoft.us"];

    /// <summary>
    /// Accepted token issuers; empty means the Bot Framework's own (single-tenant bots list it plus their tenant's Entra
    /// issuers). A configured list replaces the default rather than adding to it.
    /// </summary>
    public List<string> ValidIssuers { get; set; } = [];

    /// <summary>Hosts (or parent domains) a bot token may be sent to; empty means the Bot Framework's hosts. A configured list replaces them.</summary>
    public List<string> AllowedServiceUrlHosts { get; set; } = [];

    public IReadOnlyList<string> Issuers => ValidIssuers.Count > 0 ? ValidIssuers : DefaultIssuers;

    public IReadOnlyList<string> ServiceUrlHosts => AllowedServiceUrlHosts.Count > 0 ? AllowedServiceUrlHosts : DefaultServiceUrlHosts;

    /// <summary>True when a bot token may be sent to this service URL: https (or http on loopback) and an allowed host.</summary>
    public bool MaySendTokenTo(Uri serviceUrl) =>
        (serviceUrl.Scheme == Uri.UriSchemeHttps || serviceUrl.IsLoopback)
        && ServiceUrlHosts.Any(h => serviceUrl.Host.Equals(h, StringComparison.OrdinalIgnoreCase)
                                           || serviceUrl.Host.EndsWith("." + h, StringComparison.OrdinalIgnoreCase));

    /// <summary>Activities above this size are refused with 413 before the token is even checked.</summary>
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Work that follows an acknowledged activity waits in a bounded queue; when full, acknowledgements wait.</summary>
    public int WorkQueueCapacity { get; set; } = 500;

    /// <summary>Turns run in parallel; mostly waiting on the connector and the database, so more than the cores.</summary>
    public int Workers { get; set; } = 32;

    public bool Enabled => !string.IsNullOrWhiteSpace(AppId) && !string.IsNullOrWhiteSpace(AppPassword);
}
