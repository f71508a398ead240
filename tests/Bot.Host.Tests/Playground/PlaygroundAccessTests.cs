using System.Net;
using Bot.Core.Conversation;
using Bot.Host.Startup;
using Bot.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Bot.Host.Tests.Playground;

/// <summary>The playground acts as anyone, so it answers callers on this machine only, and only in Development unless allowed.</summary>
public sealed class PlaygroundAccessTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(TestProvider.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private static Task<HttpContext> SendAsync(BotAppFactory host, string method, string path, string remote, string hostHeader, string? json = null) =>
        host.Server.SendAsync(c =>
        {
            c.Request.Method = method;
            c.Request.Path = path;
            c.Request.Host = new HostString(hostHeader);
            c.Connection.RemoteIpAddress = IPAddress.Parse(remote);
            if (json is null) return;
            c.Request.ContentType = "application/json";
            c.Request.Body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        });

    [Theory]
    [InlineData("203.0.113.9", "localhost")] // another machine
    [InlineData("127.0.0.1", "evil.example")] // a page elsewhere, through a name that resolves here
    [InlineData("::ffff:198.51.100.7", "127.0.0.1")]
    public async Task SomeoneElse_GetsA403_AndCannotActAsAnyone(string remote, string hostHeader)
    {
        await using var host = new BotAppFactory(_database);
        Assert.Equal(403, (await SendAsync(host, "GET", "/", remote, hostHeader)).Response.StatusCode);
        Assert.Equal(403, (await SendAsync(host, "GET", "/playground/api/directory", remote, hostHeader)).Response.StatusCode);
        var post = await SendAsync(host, "POST", "/playground/api/messages", remote, hostHeader, """{"as":"lee","conversation":"#payments","text":"/escalate x"}""");
        Assert.Equal(403, post.Response.StatusCode);
        Assert.Equal(0, await host.WithDbAsync(db => db.ConversationEntries.CountAsync()));
    }

    [Theory]
    [InlineData("127.0.0.1", "localhost")]
    [InlineData("::1", "[::1]")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("::ffff:127.0.0.1", "bot.localhost")]
    public async Task ThisMachine_IsServed(string remote, string hostHeader)
    {
        await using var host = new BotAppFactory(_database);
        Assert.Equal(200, (await SendAsync(host, "GET", "/", remote, hostHeader)).Response.StatusCode);
        Assert.Equal(200, (await SendAsync(host, "GET", "/playground/api/directory", remote, hostHeader)).Response.StatusCode);
    }

    [Fact]
    public async Task OutsideDevelopment_TheHostRefusesToStartWithThePlaygroundOn_UnlessAllowed_AndThenStillOnlyForThisMachine()
    {
        // The real host binary says why and exits.
        await using (var refused = HostProcess.Start(new Dictionary<string, string?>(_database.Settings) { ["Playground:Enabled"] = "true" }, environment: "Production"))
        {
            Assert.Equal(2, await refused.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("Playground:AllowOutsideDevelopment=true", refused.Output);
        }

        await using var allowed = new BotAppFactory(_database,
            new Dictionary<string, string?> { ["Playground:Enabled"] = "true", ["Playground:AllowOutsideDevelopment"] = "true" }, environment: "Production");
        Assert.Equal(200, (await SendAsync(allowed, "GET", "/playground/api/directory", "127.0.0.1", "localhost")).Response.StatusCode);
        Assert.Equal(403, (await SendAsync(allowed, "GET", "/playground/api/directory", "203.0.113.9", "localhost")).Response.StatusCode);
    }
}
