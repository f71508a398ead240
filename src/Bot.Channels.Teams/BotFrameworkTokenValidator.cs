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
/// the activity's <c>serviceUrl</c>.
/// </summary>
public sealed class BotFrameworkTokenValidator
{
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan KeyLifetime = TimeSpan.FromHours(24);

    // An unknown kid may force a fetch at most this often, so forged kids cannot hammer the metadata endpoint.
    private static readonly TimeSpan UnknownKeyRefreshInterval = TimeSpan.FromMinutes(5);
    private readonly TeamsOptions _options;
    private readonly TimeProvider _clock;
    private long _lastForcedRefreshTicks = long.MinValue;
    private readonly HttpDocumentRetriever _retriever;
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private volatile Fetched? _current;
    private readonly JsonWebTokenHandler _handler = new();

    // Tokens already validated, kept until they expire: the Bot Connector reuses one token for many activities.
    private const int MaxAccepted = 10_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Accepted> _accepted = new(StringComparer.Ordinal);

    private sealed record Accepted(DateTime ValidTo, string? Kid, string? ServiceUrl);

    public BotFrameworkTokenValidator(IOptions<TeamsOptions> options, HttpClient http, TimeProvider? clock = null)
    {
        _options = options.Value;
        _clock = clock ?? TimeProvider.System;
        var url = _options.OpenIdMetadataUrl;
        // Plain http only for a metadata server on this machine (tests, emulators).
        _retriever = new HttpDocumentRetriever(http) { RequireHttps = !url.IsLoopback };
    }

    private sealed record Fetched(OpenIdConnectConfiguration Config, DateTimeOffset At);

    /// <summary>The metadata and keys, fetched once and kept for a day, or fetched again when <paramref name="force"/>.</summary>
    private async Task<OpenIdConnectConfiguration> MetadataAsync(bool force, CancellationToken ct)
    {
        var current = _current;
        if (!force && current is not null && _clock.GetUtcNow() - current.At < KeyLifetime) return current.Config;
        await _fetching.WaitAsync(ct);
        try
        {
            // Someone else may have fetched while this call waited.
            if (_current is { } fresh && fresh != current) return fresh.Config;
            var config = await OpenIdConnectConfigurationRetriever.GetAsync(_options.OpenIdMetadataUrl.AbsoluteUri, _retriever, ct);
            _current = new Fetched(config, _clock.GetUtcNow());
            return config;
        }
        finally
        {
            _fetching.Release();
        }
    }

    public async Task<TokenCheck> ValidateAsync(string? authorization, string? channelId, string? serviceUrl, CancellationToken ct)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal)) return TokenCheck.Fail("no bearer token");
        var token = authorization["Bearer ".Length..].Trim();
        if (_accepted.TryGetValue(token, out var known))
        {
            if (DateTime.UtcNow < known.ValidTo) return Bound(await MetadataAsync(force: false, ct), known.Kid, known.ServiceUrl, channelId, serviceUrl);
            _accepted.TryRemove(token, out _);
        }
        if (!_handler.CanReadToken(token)) return TokenCheck.Fail("not a JWT");

        var config = await MetadataAsync(force: false, ct);
        var result = await _handler.ValidateTokenAsync(token, Parameters(config));
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException && MayForceRefresh())
        {
            // Keys rotate: an unknown kid earns one fetch of the metadata.
            config = await MetadataAsync(force: true, ct);
            result = await _handler.ValidateTokenAsync(token, Parameters(config));
        }
        if (!result.IsValid) return TokenCheck.Fail(result.Exception?.GetType().Name ?? "invalid token");

        var jwt = (JsonWebToken)result.SecurityToken;
        var claimed = jwt.TryGetPayloadValue<string>("serviceurl", out var s) ? s : null;
        if (_accepted.Count >= MaxAccepted) _accepted.Clear();
        _accepted[token] = new Accepted(jwt.ValidTo, jwt.Kid, claimed);
        return Bound(config, jwt.Kid, claimed, channelId, serviceUrl);
    }

    /// <summary>A valid token is still only good for the channels its key is endorsed for, and for its own service URL.</summary>
    private static TokenCheck Bound(OpenIdConnectConfiguration config, string? kid, string? claimedServiceUrl, string? channelId, string? serviceUrl)
    {
        if (!string.IsNullOrEmpty(channelId) && !Endorses(config, kid, channelId)) return TokenCheck.Fail("key not endorsed for channel");
        if (serviceUrl is null || !string.Equals(claimedServiceUrl, serviceUrl, StringComparison.Ordinal)) return TokenCheck.Fail("serviceurl mismatch");
        return TokenCheck.Ok;
    }

    private bool MayForceRefresh()
    {
        var now = _clock.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastForcedRefreshTicks);
        if (last != long.MinValue && now - last < UnknownKeyRefreshInterval.Ticks) return false;
        return Interlocked.CompareExchange(ref _lastForcedRefreshTicks, now, last) == last;
    }

    private TokenValidationParameters Parameters(OpenIdConnectConfiguration config) => new()
    {
        ValidIssuers = _options.Issuers,
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
}
