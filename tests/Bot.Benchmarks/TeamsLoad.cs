using System.Diagnostics;
using System.Text.Json.Nodes;
using Bot.Testing;
using Bot.Testing.Conformance;

namespace Bot.Benchmarks;

/// <summary>
/// Message activities with a signed Bot Framework token (validation on, keys from a loopback OpenID metadata server)
/// posted to the real host's /api/messages with wrk; each is answered by a reply posted to a loopback fake Bot
/// Connector. Every activity has its own id, so each is claimed in the database as a new delivery.
/// </summary>
public static class TeamsLoad
{
    public static async Task<int> RunAsync(int seconds, int connections)
    {
        if (!File.Exists("/usr/bin/wrk")) throw new InvalidOperationException("wrk is needed: apt-get install wrk");
        Console.WriteLine($"cores: {Environment.ProcessorCount}  wrk -t2 -c{connections} -d{seconds}s");

        await using var identity = await FakeBotFrameworkIdentity.StartAsync();
        await using var connector = await FakeTeamsConnector.StartAsync();
        connector.CheckCards = false;
        connector.KeepBodies = false;
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        var settings = new Dictionary<string, string?>(database.Settings)
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Teams:Workers"] = Environment.GetEnvironmentVariable("TEAMS_WORKERS") ?? "32",
        };
        foreach (var (key, value) in TeamsDriver.Settings(connector, identity)) settings[key] = value;
        await using var host = HostProcess.Start(settings);
        await host.WaitUntilReadyAsync();

        var token = identity.Mint(TeamsDriver.AppId, connector.ServiceUrl.AbsoluteUri);
        var url = host.BaseAddress + "api/messages";

        // Warm-up: JIT, connection pools, the signing keys and the bot token.
        var warm = await Wrk.RunAsync(url, Script(token, connector.ServiceUrl, "w"), 3, connections);
        await SettleAsync(connector, warm.Requests, TimeSpan.FromSeconds(60));

        var before = Replies(connector);
        var run = await Wrk.RunAsync(url, Script(token, connector.ServiceUrl, "m"), seconds, connections);
        Wrk.Report("host: signed message activities", run);
        var watch = Stopwatch.StartNew();
        var replied = await SettleAsync(connector, before + run.Requests, TimeSpan.FromSeconds(120)) - before;
        Console.WriteLine($"  replies posted to the connector: {replied} of {run.Requests} acknowledged (the last {watch.Elapsed.TotalSeconds:F1} s after the run)");
        Console.WriteLine($"  activities with replies per second: {replied / (seconds + watch.Elapsed.TotalSeconds):F0}");
        Console.WriteLine($"  signing-key fetches: {identity.KeyFetches}; token requests: {connector.TokenRequests.Count}");
        Console.WriteLine($"  host RSS after the runs: {host.WorkingSetBytes / 1024 / 1024} MB");
        return 0;
    }

    private static long Replies(FakeTeamsConnector connector) => connector.Calls.Count(c => c.Method == "POST" && c.ActivityId is not null && c.Status == 200);

    private static async Task<long> SettleAsync(FakeTeamsConnector connector, long expected, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (Replies(connector) < expected && DateTime.UtcNow < deadline) await Task.Delay(100);
        return Replies(connector);
    }

    /// <summary>Each wrk thread numbers its activities, so every activity id is new (as Teams' are).</summary>
    private static string Script(string token, Uri serviceUrl, string prefix)
    {
        var activity = new JsonObject
        {
            ["type"] = "message",
            ["id"] = "ID",
            ["channelId"] = "msteams",
            ["serviceUrl"] = serviceUrl.AbsoluteUri,
            ["from"] = new JsonObject { ["id"] = "29:ana", ["name"] = "Ana Souza", ["aadObjectId"] = "6f1c0d2e-0000-4000-8000-000000000005" },
            ["recipient"] = new JsonObject { ["id"] = "28:" + TeamsDriver.AppId, ["name"] = TeamsDriver.BotName },
            ["conversation"] = new JsonObject { ["id"] = "a:dm-6f1c0d2e-0000-4000-8000-000000000005", ["conversationType"] = "personal", ["tenantId"] = TeamsDriver.Tenant },
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TeamsDriver.Tenant } },
            ["text"] = "help",
        }.ToJsonString();
        var (head, tail) = (activity[..activity.IndexOf("\"ID\"", StringComparison.Ordinal)], activity[(activity.IndexOf("\"ID\"", StringComparison.Ordinal) + 4)..]);
        static string Lua(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        return $$"""
            local counter = 1
            function setup(thread)
              thread:set("tid", counter)
              counter = counter + 1
            end
            function init(args)
              n = 0
              headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer {{token}}" }
            end
            function request()
              n = n + 1
              local body = "{{Lua(head)}}\"{{prefix}}" .. tid .. "-" .. n .. "\"{{Lua(tail)}}"
              return wrk.format("POST", nil, headers, body)
            end
            """;
    }
}
