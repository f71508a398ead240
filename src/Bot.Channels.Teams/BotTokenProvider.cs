using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Bot.Channels.Teams;

/// <summary>Where outbound Bot Connector calls get their bearer token. One seam, so other clouds or MSAL can plug in.</summary>
public interface IBotTokenProvider
{
    Task<string> GetTokenAsync(CancellationToken cancellationToken);
}

/// <summary>
/// OAuth2 client credentials against <see cref="TeamsOptions.TokenEndpointOrDefault"/> (scope
/// <c>https://api.botframework.com/.default</c>), cached until five minutes before expiry, one refresh at a time.
/// Plain HTTP is accepted only on loopback, for tests and emulators.
/// </summary>
public sealed class ClientCredentialsTokenProvider(HttpClient http, IOptions<TeamsOptions> options, TimeProvider clock) : IBotTokenProvider
{
    public const string Scope = "https://api.botframework.com/.default";
    private static readonly TimeSpan RefreshEarly = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private volatile CachedToken? _cached;

    private sealed record CachedToken(string Value, DateTimeOffset RefreshAt);

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } cached && clock.GetUtcNow() < cached.RefreshAt) return cached.Value;
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } fresh && clock.GetUtcNow() < fresh.RefreshAt) return fresh.Value;
            var o = options.Value;
            var endpoint = o.TokenEndpointOrDefault;
            if (endpoint.Scheme != Uri.UriSchemeHttps && !endpoint.IsLoopback)
                throw new InvalidOperationException("Teams:TokenEndpoint must be https (plain http only on loopback).");

            using var response = await http.PostAsync(endpoint, new FormUrlEncodedContent(
            [
                new("grant_type", "client_credentials"), new("client_id", o.AppId!), new("client_secret", o.AppPassword!), new("scope", Scope),
            ]), cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new HttpRequestException($"The token endpoint answered {(int)response.StatusCode}.", null, response.StatusCode);
            var token = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken);
            if (token?.AccessToken is not { Length: > 0 } value) throw new InvalidOperationException("The token endpoint returned no access_token.");
            var lifetime = TimeSpan.FromSeconds(Math.Max(token.ExpiresIn, 60));
            _cached = new CachedToken(value, clock.GetUtcNow() + (lifetime > RefreshEarly * 2 ? lifetime - RefreshEarly : lifetime / 2));
            return value;
        }
        finally
        {
            _refreshing.Release();
        }
    }
}
