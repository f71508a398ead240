using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Bot.Channels.Teams;

/// <summary>The outcome of checking an inbound Bot Framework token; <see cref="Reason"/> is for logs, never for the caller.</summary>
public sealed record TokenCheck(bool Valid, string? Reason)
{
    public static readonly TokenCheck Ok = new(true, null);

    public static TokenCheck Fail(string reason) => new(false, reason);
}

/// <summary>
/// Validates the bearer JWT on <c>/api/messages</c> as the Bot Connector requires: signature with a key from the
/// OpenID metadata (cached, refreshed on an unknown <c>kid</c>), issuer, audience = app id, lifetime with 5 minutes
/// of skew, the signing key's endorsements naming the activity's channel, and the <c>serviceurl</c> claim equal to
/// the activity's <c>serviceUrl</c>. Tokens the Bot Framework issues through Entra ID (its own tenants' issuers, or
/// the bot's tenant) are checked against Entra's keys, picked by the token's issuer before it is trusted.
/// </summary>
public sealed class BotFrameworkTokenValidator
{
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);
    private readonly TeamsOptions _options;
    private readonly KeySource _botFramework;
    private readonly KeySource _entra;
    private readonly IReadOnlySet<string> _botFrameworkIssuers;
    private readonly IReadOnlySet<string> _entraIssuers;
    private readonly JsonWebTokenHandler _handler = new();

    // Tokens already validated, kept until they expire: the Bot Connector reuses one token for many activities.
    private const int MaxAccepted = 10_000;
    private readonly ConcurrentDictionary<string, Accepted> _accepted = new(StringComparer.Ordinal);

    private sealed record Accepted(DateTime ValidTo, KeySource Source, string? Kid, string? ServiceUrl);

    public BotFrameworkTokenValidator(IOptions<TeamsOptions> options, HttpClient http, TimeProvider? clock = null)
    {
        _options = options.Value;
        _botFramework = new KeySource(_options.OpenIdMetadataUrl, http, clock ?? TimeProvider.System, endorsed: true);
        _entra = new KeySource(_options.EntraOpenIdMetadataUrl, http, clock ?? TimeProvider.System, endorsed: false);
        _botFrameworkIssuers = _options.Issuers.ToHashSet(StringComparer.Ordinal);
        _entraIssuers = _options.EntraIssuers;
    }

    public async Task<TokenCheck> ValidateAsync(string? authorization, string? channelId, string? serviceUrl, CancellationToken ct)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal)) return TokenCheck.Fail("no bearer token");
        // This endpoint serves Teams only: other Bot Framework channels (Web Chat, Direct Line) let callers choose who they are.
        if (channelId != TeamsActivity.TeamsChannelId) return TokenCheck.Fail("not a Teams activity");
        var token = authorization["Bearer ".Length..].Trim();
        if (_accepted.TryGetValue(token, out var known))
        {
            if (DateTime.UtcNow < known.ValidTo) return await BoundAsync(known, channelId, serviceUrl, ct);
            _accepted.TryRemove(token, out _);
        }
        if (!_handler.CanReadToken(token)) return TokenCheck.Fail("not a JWT");

        // Which keys to check against depends on who claims to have issued it; the claim itself is validated below.
        string issuer;
        try
        {
            issuer = new JsonWebToken(token).Issuer;
        }
        catch (ArgumentException)
        {
            return TokenCheck.Fail("not a JWT");
        }
        var source = _botFrameworkIssuers.Contains(issuer) ? _botFramework : _entraIssuers.Contains(issuer) ? _entra : null;
        if (source is null) return TokenCheck.Fail("unknown issuer");
        var issuers = source == _botFramework ? _botFrameworkIssuers : _entraIssuers;

        var config = await source.MetadataAsync(force: false, ct);
        var result = await _handler.ValidateTokenAsync(token, Parameters(config, issuers));
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException && source.MayForceRefresh())
        {
            // Keys rotate: an unknown kid earns one fetch of the metadata.
            config = await source.MetadataAsync(force: true, ct);
            result = await _handler.ValidateTokenAsync(token, Parameters(config, issuers));
        }
        if (!result.IsValid) return TokenCheck.Fail(result.Exception?.GetType().Name ?? "invalid token");

        var jwt = (JsonWebToken)result.SecurityToken;
        var accepted = new Accepted(jwt.ValidTo, source, jwt.Kid, jwt.TryGetPayloadValue<string>("serviceurl", out var s) ? s : null);
        if (_accepted.Count >= MaxAccepted) _accepted.Clear();
        _accepted[token] = accepted;
        return await BoundAsync(accepted, channelId, serviceUrl, ct);
    }

    /// <summary>A valid token is still only good for the channels its key is endorsed for, and for its own service URL.</summary>
    private static async Task<TokenCheck> BoundAsync(Accepted token, string? channelId, string? serviceUrl, CancellationToken ct)
    {
        if (token.Source.Endorsed && !Endorses(await token.Source.MetadataAsync(force: false, ct), token.Kid, channelId!))
            return TokenCheck.Fail("key not endorsed for channel");
        if (serviceUrl is null || !string.Equals(token.ServiceUrl, serviceUrl, StringComparison.Ordinal)) return TokenCheck.Fail("serviceurl mismatch");
        return TokenCheck.Ok;
    }

    private TokenValidationParameters Parameters(OpenIdConnectConfiguration config, IEnumerable<string> issuers) => new()
    {
        ValidIssuers = issuers,
        ValidAudience = _options.AppId,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ValidateIssuerSigningKey = true,
        IssuerSigningKeys = config.SigningKeys,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512],
        ClockSkew = Skew,
    };

    private static bool Endorses(OpenIdConnectConfiguration config, string? kid, string channelId)
    {
        var key = config.JsonWebKeySet?.Keys.FirstOrDefault(k => k.Kid == kid);
        if (key is null || !key.AdditionalData.TryGetValue("endorsements", out var value)) return false;
        return value switch
        {
            JsonElement { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Any(e => e.ValueKind == JsonValueKind.String && e.GetString() == channelId),
            IEnumerable<object> list => list.Any(e => e?.ToString() == channelId),
            _ => false,
        };
    }

    /// <summary>One OpenID metadata document and its keys: fetched once and kept for a day, refetched on an unknown kid (at most every 5 minutes).</summary>
    private sealed class KeySource(Uri metadataUrl, HttpClient http, TimeProvider clock, bool endorsed)
    {
        private static readonly TimeSpan KeyLifetime = TimeSpan.FromHours(24);

        // An unknown kid may force a fetch at most this often, so forged kids cannot hammer the metadata endpoint.
        private static readonly TimeSpan UnknownKeyRefreshInterval = TimeSpan.FromMinutes(5);

        // Plain http only for a metadata server on this machine (tests, emulators).
        private readonly HttpDocumentRetriever _retriever = new(http) { RequireHttps = !metadataUrl.IsLoopback };
        private readonly SemaphoreSlim _fetching = new(1, 1);
        private volatile Fetched? _current;
        private long _lastForcedRefreshTicks = long.MinValue;

        private sealed record Fetched(OpenIdConnectConfiguration Config, DateTimeOffset At);

        /// <summary>Whether this source's keys carry the Bot Framework's channel endorsements (Entra's do not).</summary>
        public bool Endorsed { get; } = endorsed;

        public async Task<OpenIdConnectConfiguration> MetadataAsync(bool force, CancellationToken ct)
        {
            var current = _current;
            if (!force && current is not null && clock.GetUtcNow() - current.At < KeyLifetime) return current.Config;
            await _fetching.WaitAsync(ct);
            try
            {
                // Someone else may have fetched while this call waited.
                if (_current is { } fresh && fresh != current) return fresh.Config;
                var config = await OpenIdConnectConfigurationRetriever.GetAsync(metadataUrl.AbsoluteUri, _retriever, ct);
                _current = new Fetched(config, clock.GetUtcNow());
                return config;
            }
            finally
            {
                _fetching.Release();
            }
        }

        public bool MayForceRefresh()
        {
            var now = clock.GetUtcNow().UtcTicks;
            var last = Interlocked.Read(ref _lastForcedRefreshTicks);
            if (last != long.MinValue && now - last < UnknownKeyRefreshInterval.Ticks) return false;
            return Interlocked.CompareExchange(ref _lastForcedRefreshTicks, now, last) == last;
        }
    }
}
