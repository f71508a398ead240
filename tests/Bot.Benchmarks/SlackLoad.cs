using System.Diagnostics;
using System.Globalization;
using System.Text;
using Bot.Channels.Slack;
using Bot.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.Benchmarks;

/// <summary>
/// Signed Slack requests with wrk (Debian's `wrk`) against: a minimal endpoint that only verifies the signature
/// (the ceiling), the real host for /help, and the real host for /escalate with modals opened on a loopback fake.
/// </summary>
public static class SlackLoad
{
    public static async Task<int> RunAsync(int seconds, int connections)
    {
        if (!File.Exists("/usr/bin/wrk")) throw new InvalidOperationException("wrk is needed: apt-get install wrk");
        Console.WriteLine($"cores: {Environment.ProcessorCount}  wrk -t2 -c{connections} -d{seconds}s");

        await using var ceiling = await StartCeilingAsync();
        var ceilingResult = await WrkAsync(ceiling.Url + "slack/commands", Command("/help"), seconds, connections);
        Wrk.Report("ceiling: verify signature + fixed reply", ceilingResult);
        await ceiling.App.StopAsync();

        await using var slack = await FakeSlackApi.StartAsync();
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        var settings = new Dictionary<string, string?>(database.Settings)
        {
            ["Slack:SigningSecret"] = SlackSigner.Secret,
            ["Slack:BotToken"] = FakeSlackApi.Token,
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Slack:Workers"] = Environment.GetEnvironmentVariable("SLACK_WORKERS") ?? "6",
        };
        // Development only for its example directory; logging is quietened to what production would log.
        await using var host = HostProcess.Start(settings);
        await host.WaitUntilReadyAsync();

        // Warm-up: JIT and connection pools, so the measured runs see a steady host.
        await WrkAsync(host.BaseAddress + "slack/commands", Command("/help"), 3, connections);
        var warm = await WrkAsync(host.BaseAddress + "slack/commands", Command("/escalate"), 3, connections);
        await SettleAsync(slack, "views.open", warm.Requests, TimeSpan.FromSeconds(120));

        // /help is answered inside the acknowledgement: no background work, no Web API call.
        var help = await WrkAsync(host.BaseAddress + "slack/commands", Command("/help"), seconds, connections);
        Wrk.Report("host: signed /help", help);
        Console.WriteLine($"  ratio to ceiling: {help.RequestsPerSecond / ceilingResult.RequestsPerSecond:P0}");

        var before = slack.Of("views.open").Count();
        var escalate = await WrkAsync(host.BaseAddress + "slack/commands", Command("/escalate"), seconds, connections);
        Wrk.Report("host: signed /escalate", escalate);
        Console.WriteLine($"  ratio to ceiling: {escalate.RequestsPerSecond / ceilingResult.RequestsPerSecond:P0}");
        var watch = Stopwatch.StartNew();
        var opened = await SettleAsync(slack, "views.open", before + escalate.Requests, TimeSpan.FromSeconds(120)) - before;
        Console.WriteLine($"  modals opened: {opened} of {escalate.Requests} acknowledged (all within {watch.Elapsed.TotalSeconds:F1} s after the run)");
        var late = slack.Of("views.open").Skip(before).Count(c => c.At > escalate.EndedAt.AddSeconds(3));
        Console.WriteLine($"  modals opened more than 3 s after the run ended: {late}");
        Console.WriteLine($"  host RSS after the runs: {host.WorkingSetBytes / 1024 / 1024} MB");
        return 0;
    }

    private static string Command(string command) =>
        $"token=x&team_id=T0TEAM&channel_id=C0GENERAL&channel_name=general&user_id=U0ANA00005&user_name=ana&command={Uri.EscapeDataString(command)}" +
        "&text=checkout+is+failing&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1&trigger_id=1.2.3&api_app_id=A0BOT";

    private static Task<Wrk.Result> WrkAsync(string url, string body, int seconds, int connections)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = SlackSignature.Compute(SlackSigner.Secret, timestamp, Encoding.UTF8.GetBytes(body));
        return Wrk.RunAsync(url, $$"""
            wrk.method = "POST"
            wrk.body = "{{body}}"
            wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
            wrk.headers["X-Slack-Request-Timestamp"] = "{{timestamp}}"
            wrk.headers["X-Slack-Signature"] = "{{signature}}"
            """, seconds, connections);
    }

    private static async Task<int> SettleAsync(FakeSlackApi slack, string method, long expected, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (slack.Of(method).Count() < expected && DateTime.UtcNow < deadline) await Task.Delay(250);
        return slack.Of(method).Count();
    }

    private sealed record Ceiling(WebApplication App, string Url) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }

    private static async Task<Ceiling> StartCeilingAsync()
    {
        var (app, address) = await LoopbackServer.StartAsync(app => app.MapPost("/slack/commands", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var check = SlackSignature.Verify(SlackSigner.Secret, context.Request.Headers["X-Slack-Request-Timestamp"],
                context.Request.Headers["X-Slack-Signature"], body.ToArray(), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
            return check == SignatureCheck.Valid ? Results.Ok() : Results.Unauthorized();
        }));
        return new Ceiling(app, address.ToString());
    }
}
