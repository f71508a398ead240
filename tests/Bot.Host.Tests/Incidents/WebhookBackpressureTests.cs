using System.Net;
using Bot.Core.Features.Incidents;
using Bot.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Bot.Host.Tests.Incidents;

/// <summary>An alert storm waits its turn for the database; beyond the queue the webhook is told to come back, never a 500.</summary>
public sealed class WebhookBackpressureTests
{
    private static string Alert(string id) => $$"""{"id":"{{id}}","title":"Checkout alert {{id}}","service":"checkout","impact":2,"status":"open"}""";

    [Fact]
    public async Task BeyondTheConcurrencyAndQueueLimits_AWebhookIs503WithRetryAfter_AndTheOneTakenInIsStored()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        await using var host = new BotAppFactory(database, new Dictionary<string, string?> { ["Webhooks:MaxConcurrent"] = "1", ["Webhooks:QueueLimit"] = "0" });
        var http = host.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await SignedWebhooks.IncidentAsync(http, Alert("a-0"))).StatusCode);

        // Another writer holds the database: the webhook taken in waits inside the intake, holding the only permit.
        await using var writer = new SqliteConnection(database.ConnectionString);
        await writer.OpenAsync();
        await using (var begin = writer.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync();
        }
        var sent = Enumerable.Range(1, 5).Select(i => SignedWebhooks.IncidentAsync(http, Alert("a-" + i))).ToList();
        var refused = new List<HttpResponseMessage>();
        while (refused.Count < 4)
        {
            var done = await Task.WhenAny(sent);
            sent.Remove(done);
            refused.Add(await done);
        }
        await using (var rollback = writer.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }
        var taken = await Assert.Single(sent);

        Assert.All(refused, r =>
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
            Assert.Equal("5", r.Headers.GetValues("Retry-After").Single());
        });
        Assert.Equal(HttpStatusCode.Created, taken.StatusCode);
        Assert.Equal(2, await host.WithDbAsync(db => db.Incidents.CountAsync()));
    }
}
