using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Bot.Channels.Teams;
using Bot.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Channels.Teams.Tests;

/// <summary>Outbound Bot Connector calls and the bot token, against a loopback token endpoint and connector.</summary>
public sealed class ConnectorClientTests : IAsyncLifetime
{
    private sealed record Seen(string Method, string Path, string? Authorization, string Body);

    private readonly ConcurrentQueue<Seen> _seen = new();
    private readonly ConcurrentQueue<int> _statuses = new();
    private int _tokenCalls;
    private WebApplication _fake = null!;
    private Uri _address = null!;
    private ServiceProvider _services = null!;
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    public async Task InitializeAsync()
    {
        (_fake, _address) = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/token", async (HttpContext c) =>
            {
                Interlocked.Increment(ref _tokenCalls);
                var form = await c.Request.ReadFormAsync();
                _seen.Enqueue(new Seen("POST", "/token", null, string.Join("&", form.OrderBy(f => f.Key).Select(f => $"{f.Key}={f.Value}"))));
                await c.Response.WriteAsJsonAsync(new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3600, ["access_token"] = "token-" + _tokenCalls });
            });
            app.Map("/{region}/v3/{**rest}", async (HttpContext c) =>
            {
                using var reader = new StreamReader(c.Request.Body);
                // The raw target, as sent: conversation ids must arrive escaped.
                var raw = c.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget;
                _seen.Enqueue(new Seen(c.Request.Method, raw, c.Request.Headers.Authorization, await reader.ReadToEndAsync()));
                // Written by hand: a lambda taking HttpContext is a RequestDelegate, and a returned IResult would be ignored.
                if (_statuses.TryDequeue(out var status))
                {
                    c.Response.StatusCode = status;
                    if (status == 429) c.Response.Headers.RetryAfter = "1";
                    await c.Response.WriteAsJsonAsync(new JsonObject { ["error"] = new JsonObject { ["code"] = status == 403 ? "BotNotInConversationRoster" : "Throttled" } });
                    return;
                }
                await c.Response.WriteAsJsonAsync(new JsonObject { ["id"] = "a:conversation-or-activity" });
            });
        });

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Teams:AppId"] = "app-id",
            ["Teams:AppPassword"] = "app-secret",
            ["Teams:AllowAnyTenant"] = "true",
            ["Teams:TokenEndpoint"] = new Uri(_address, "token").AbsoluteUri,
            ["Teams:AllowedServiceUrlHosts:0"] = "127.0.0.1",
        }).Build();
        _services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<TimeProvider>(_clock)
            .AddLogging()
            // The card seal's key lives in the database; these calls carry no cards, so it is never read.
            .AddSingleton<Bot.Core.Storage.InstallationIdentity>()
            .AddTeams()
            .BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private ConnectorClient Client => _services.GetRequiredService<ConnectorClient>();

    private Uri ServiceUrl => new(_address, "emea/");

    [Fact]
    public async Task Token_IsFetchedWithClientCredentials_OnceForConcurrentCalls_AndCachedUntilShortlyBeforeExpiry()
    {
        var provider = _services.GetRequiredService<IBotTokenProvider>();
        var tokens = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => provider.GetTokenAsync(CancellationToken.None)));
        Assert.All(tokens, t => Assert.Equal("token-1", t));
        Assert.Equal(1, _tokenCalls);
        Assert.Equal("client_id=app-id&client_secret=app-secret&grant_type=client_credentials&scope=https://api.botframework.com/.default",
            _seen.Single(s => s.Path == "/token").Body);

        _clock.Advance(TimeSpan.FromMinutes(54));
        Assert.Equal("token-1", await provider.GetTokenAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("token-2", await provider.GetTokenAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Calls_CarryTheBotToken_ToTheRoutesOfTheConnector()
    {
        await Client.ReplyAsync(ServiceUrl, "19:abc@thread.tacv2;messageid=1", "1485983408511", new JsonObject { ["type"] = "message", ["text"] = "hi" }, CancellationToken.None);
        await Client.UpdateAsync(ServiceUrl, "a:1", "42", new JsonObject { ["type"] = "message" }, CancellationToken.None);
        var id = await Client.CreateConversationAsync(ServiceUrl, "29:user", "tenant-1", CancellationToken.None);

        var calls = _seen.Where(s => s.Path.StartsWith("/emea/v3/", StringComparison.Ordinal)).ToArray();
        Assert.Equal(("POST", "/emea/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D1/activities/1485983408511"), (calls[0].Method, calls[0].Path));
        Assert.Equal(("PUT", "/emea/v3/conversations/a%3A1/activities/42"), (calls[1].Method, calls[1].Path));
        Assert.Equal(("POST", "/emea/v3/conversations"), (calls[2].Method, calls[2].Path));
        Assert.All(calls, c => Assert.Equal("Bearer token-1", c.Authorization));
        var create = JsonNode.Parse(calls[2].Body)!;
        Assert.Equal("28:app-id", (string)create["bot"]!["id"]!);
        Assert.Equal("29:user", (string)create["members"]![0]!["id"]!);
        Assert.Equal("tenant-1", (string)create["channelData"]!["tenant"]!["id"]!);
        Assert.Equal("a:conversation-or-activity", id);
    }

    [Fact]
    public async Task ServiceUrlNotOnTheAllowList_IsRefused_WithoutSendingTheToken()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Client.SendToConversationAsync(new Uri("http://localhost.evil.example.com/"), "a:1", new JsonObject(), CancellationToken.None));
        Assert.Contains("AllowedServiceUrlHosts", error.Message);
        Assert.DoesNotContain(_seen, s => s.Path.Contains("/v3/", StringComparison.Ordinal));
        Assert.Equal(0, _tokenCalls);
    }

    [Fact]
    public async Task BotRemoved_403_IsATypedErrorAndNotRetried()
    {
        _statuses.Enqueue(403);
        var error = await Assert.ThrowsAsync<ConversationUnavailableException>(() =>
            Client.SendToConversationAsync(ServiceUrl, "a:1", new JsonObject(), CancellationToken.None));
        Assert.Equal((HttpStatusCode.Forbidden, "BotNotInConversationRoster"), (error.Status, error.Code));
        Assert.Single(_seen, s => s.Path.Contains("/v3/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Throttled_429_IsRetriedAfterRetryAfter_OnTheHostClock()
    {
        _statuses.Enqueue(429);
        var send = Client.SendToConversationAsync(ServiceUrl, "a:1", new JsonObject(), CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(_seen.Count(s => s.Path.Contains("/v3/", StringComparison.Ordinal)) == 1), "the first attempt");
        await Task.Delay(200);
        Assert.False(send.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("a:conversation-or-activity", await send);
        Assert.Equal(2, _seen.Count(s => s.Path.Contains("/v3/", StringComparison.Ordinal)));
    }
}
