using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Bot.Testing;

namespace Bot.Host.Tests.Operations;

public sealed class DashboardTests
{
    [Fact]
    public async Task OutsideDevelopment_WithoutCredentials_DashboardIsNotServed()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        await using var host = new BotAppFactory(database, environment: "Production");
        var response = await host.CreateClient().GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task OutsideDevelopment_WithCredentials_AsksForThem_AndLetsTheRightOnesIn()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        await using var host = new BotAppFactory(database, new Dictionary<string, string?>
        {
            ["Hangfire:Dashboard:Username"] = "ops",
            ["Hangfire:Dashboard:Password"] = "correct horse",
        }, environment: "Production");
        var http = host.CreateClient();

        var anonymous = await http.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString());

        var wrong = new HttpRequestMessage(HttpMethod.Get, "/hangfire") { Headers = { Authorization = Basic("ops", "wrong") } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);

        var right = new HttpRequestMessage(HttpMethod.Get, "/hangfire") { Headers = { Authorization = Basic("ops", "correct horse") } };
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(right)).StatusCode);
    }

    [Fact]
    public async Task InDevelopment_OnlyCallersAddressingThisMachineAsLocalhost_GetIn()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        await using var host = new BotAppFactory(database, environment: "Development");
        var http = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/hangfire")).StatusCode);
        foreach (var name in new[] { "127.0.0.1", "[::1]", "bot.localhost" })
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/hangfire") { Headers = { Host = name } })).StatusCode);

        // A page on another site whose name was rebound to this machine sends its own name.
        var rebound = new HttpRequestMessage(HttpMethod.Get, "/hangfire") { Headers = { Host = "evil.example" } };
        Assert.NotEqual(HttpStatusCode.OK, (await http.SendAsync(rebound)).StatusCode);
    }

    [Fact]
    public async Task ACrossSitePost_WithoutTheDashboardsToken_IsRefused()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        await using var host = new BotAppFactory(database, new Dictionary<string, string?>
        {
            ["Hangfire:Dashboard:Username"] = "ops",
            ["Hangfire:Dashboard:Password"] = "correct horse",
        }, environment: "Production");
        var http = host.CreateClient();
        // The browser sends the credentials it remembers; the page that made it post cannot know the antiforgery token.
        var trigger = new HttpRequestMessage(HttpMethod.Post, "/hangfire/recurring/trigger")
        {
            Headers = { Authorization = Basic("ops", "correct horse") },
            Content = new FormUrlEncodedContent([new("jobs[]", "digests.check-ins")]),
        };
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(trigger)).StatusCode);
    }

    [Fact]
    public async Task OutsideDevelopment_PlaygroundIsOff()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        await using var host = new BotAppFactory(database, environment: "Production");
        Assert.Equal(HttpStatusCode.NotFound, (await host.CreateClient().GetAsync("/playground/api/directory")).StatusCode);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
