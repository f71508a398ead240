using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bot.Testing;

/// <summary>
/// The Bot Framework's OpenID metadata and signing keys on loopback, with locally generated RSA keys carrying
/// endorsements, and a minter for the tokens the Bot Connector would send.
/// </summary>
public sealed class FakeBotFrameworkIdentity : IAsyncDisposable
{
    public const string Issuer = "https://api.botframework.com";

    private readonly WebApplication _app;
    private volatile IReadOnlyList<(RsaSecurityKey Key, string[] Endorsements)> _published;

    private FakeBotFrameworkIdentity(WebApplication app, Uri address, IReadOnlyList<(RsaSecurityKey, string[])> keys)
    {
        _app = app;
        MetadataUrl = new Uri(address, ".well-known/openidconfiguration");
        _published = keys;
    }

    public Uri MetadataUrl { get; }
    public int KeyFetches;

    public RsaSecurityKey TeamsKey => _published[0].Key;
    public RsaSecurityKey UnendorsedKey => _published[1].Key;

    public static RsaSecurityKey NewKey(string kid) => new(RSA.Create(2048)) { KeyId = kid };

    public static async Task<FakeBotFrameworkIdentity> StartAsync()
    {
        FakeBotFrameworkIdentity? fake = null;
        var keys = new List<(RsaSecurityKey, string[])> { (NewKey("teams-key"), ["msteams", "skype"]), (NewKey("webchat-key"), ["webchat"]) };
        var (app, address) = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/.well-known/openidconfiguration", (HttpContext c) => Results.Json(new JsonObject
            {
                ["issuer"] = Issuer,
                ["jwks_uri"] = new Uri(fake!.MetadataUrl, "keys").AbsoluteUri,
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            }));
            app.MapGet("/.well-known/keys", () =>
            {
                Interlocked.Increment(ref fake!.KeyFetches);
                return Results.Json(new JsonObject { ["keys"] = new JsonArray(fake._published.Select(k => (JsonNode)Jwk(k.Key, k.Endorsements)).ToArray()) });
            });
        });
        fake = new FakeBotFrameworkIdentity(app, address, keys);
        return fake;
    }

    /// <summary>Publishes a new set of keys, as a key rotation does.</summary>
    public void Rotate(params (RsaSecurityKey Key, string[] Endorsements)[] keys) => _published = keys;

    /// <summary>A token as the Bot Connector sends it; <paramref name="serviceUrl"/> null leaves the <c>serviceurl</c> claim out.</summary>
    public string Mint(string audience, string? serviceUrl, SecurityKey? key = null, string issuer = Issuer,
        DateTime? notBefore = null, DateTime? expires = null, string algorithm = SecurityAlgorithms.RsaSha256)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            NotBefore = notBefore ?? now.AddMinutes(-1),
            Expires = expires ?? now.AddHours(1),
            IssuedAt = (notBefore ?? now.AddMinutes(-1)),
            Claims = serviceUrl is null ? new Dictionary<string, object>() : new Dictionary<string, object> { ["serviceurl"] = serviceUrl },
            SigningCredentials = new SigningCredentials(key ?? TeamsKey, algorithm),
        });
    }

    /// <summary>A token with <c>alg: none</c> and no signature.</summary>
    public static string Unsigned(string audience, string serviceUrl)
    {
        static string B64(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var nbf = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds();
        return B64("""{"alg":"none","typ":"JWT"}""") + "." +
               B64($$"""{"iss":"{{Issuer}}","aud":"{{audience}}","nbf":{{nbf}},"exp":{{exp}},"serviceurl":"{{serviceUrl}}"}""") + ".";
    }

    private static JsonObject Jwk(RsaSecurityKey key, string[] endorsements)
    {
        var p = key.Rsa.ExportParameters(false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = key.KeyId,
            ["n"] = Base64UrlEncoder.Encode(p.Modulus),
            ["e"] = Base64UrlEncoder.Encode(p.Exponent),
            ["endorsements"] = new JsonArray(endorsements.Select(e => (JsonNode)e).ToArray()),
        };
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
