using System.Net;
using System.Text.Json.Nodes;
using Bot.Core.Features.Incidents;
using Bot.Testing;
using Bot.Testing.Conformance;
using Microsoft.EntityFrameworkCore;

namespace Bot.Host.Tests.Incidents;

/// <summary>The generic signed webhooks: 401 without the right signature, 400 for what cannot be read, 2xx otherwise, idempotent.</summary>
public abstract class IncidentWebhookEndpointTests(TestProvider provider) : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private BotAppFactory _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(provider);
        _host = new BotAppFactory(_database);
        _http = _host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static string Open => IncidentScenarios.Report("open", "2026-11-23T09:58:00Z");

    private Task<int> IncidentsAsync() => _host.WithDbAsync(db => db.Incidents.CountAsync());

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha1=abc")]
    public async Task MissingOrWrongSignature_Is401_AndStoresNothing(string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/incidents") { Content = new StringContent(Open) };
        if (signature is not null) request.Headers.TryAddWithoutValidation("X-Signature-256", signature);
        var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("X-Signature-256", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await IncidentsAsync());
    }

    [Fact]
    public async Task SignatureWithAnotherSecret_Is401()
    {
        var response = await SignedWebhooks.PostAsync(_http, "/webhooks/incidents", Open, SignedWebhooks.Sign(Open, "another-secret"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"id":"a","title":"t","status":"open","id":"b"}""")]
    public async Task MalformedJson_Is400(string body)
    {
        var response = await SignedWebhooks.IncidentAsync(_http, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await IncidentsAsync());
    }

    [Fact]
    public async Task InvalidFields_Are400_WithEveryProblemListed()
    {
        var response = await SignedWebhooks.IncidentAsync(_http, """{"id":"x","title":"","impact":9,"status":"closed","url":"ftp://x"}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problems = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["problems"]!.AsArray().Select(p => p!.GetValue<string>()).ToArray();
        Assert.Contains(problems, p => p.StartsWith("title", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("impact", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("status", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("url", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OversizedBody_Is413()
    {
        var body = "{\"id\":\"" + new string('x', 70_000) + "\"}";
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await SignedWebhooks.IncidentAsync(_http, body)).StatusCode);
    }

    [Fact]
    public async Task SameReportTwice_IsOneIncident_OneCard()
    {
        var first = await SignedWebhooks.IncidentAsync(_http, Open);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var answer = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;
        Assert.Equal("created", answer["outcome"]!.GetValue<string>());
        Assert.Equal("payments", answer["team"]!.GetValue<string>());

        var again = await SignedWebhooks.IncidentAsync(_http, Open);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("unchanged", JsonNode.Parse(await again.Content.ReadAsStringAsync())!["outcome"]!.GetValue<string>());
        Assert.Equal(1, await IncidentsAsync());
        var chat = new PlaygroundDriver(_host.Playground());
        await chat.TeamMessageAsync("payments", m => m.Text.Contains(IncidentScenarios.Title), "the card");
        Assert.Equal(HttpStatusCode.OK, (await SignedWebhooks.IncidentAsync(_http, Open)).StatusCode);
        await new ScenarioContext(chat, _host).PassTimeAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(1, IncidentScenarios.Cards(await chat.TeamMessagesAsync("payments")));
    }

    [Fact]
    public async Task Deployments_StoredOnce_AndValidated()
    {
        var body = """{"id":"deploy-1","service":"checkout","version":"1.2.3","deployedAt":"2026-11-23T09:00:00Z","outcome":"success"}""";
        Assert.Equal(HttpStatusCode.Created, (await SignedWebhooks.DeploymentAsync(_http, body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignedWebhooks.DeploymentAsync(_http, body)).StatusCode);
        var stored = await _host.WithDbAsync(db => db.Deployments.SingleAsync());
        Assert.Equal("checkout", stored.ServiceKey);

        var bad = """{"id":"deploy-2","service":"checkout","version":"1.2.4","deployedAt":"yesterday","outcome":"meh"}""";
        Assert.Equal(HttpStatusCode.BadRequest, (await SignedWebhooks.DeploymentAsync(_http, bad)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignedWebhooks.PostAsync(_http, "/webhooks/deployments", body, "sha256=00")).StatusCode);
    }

    [Fact]
    public async Task WithoutASecret_TheWebhooksAreOff()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var host = new BotAppFactory(database, new Dictionary<string, string?> { ["Webhooks:Secret"] = "" });
        var response = await SignedWebhooks.IncidentAsync(host.CreateClient(), Open);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

public sealed class IncidentWebhookEndpointsOnSqlite() : IncidentWebhookEndpointTests(TestProvider.Sqlite);

public sealed class IncidentWebhookEndpointsOnPostgres() : IncidentWebhookEndpointTests(TestProvider.Postgres);
