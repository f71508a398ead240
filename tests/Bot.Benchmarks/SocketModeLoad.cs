using System.Diagnostics;
using System.Text.Json.Nodes;
using Bot.Channels.Slack;
using Bot.Testing;

namespace Bot.Benchmarks;

/// <summary>
/// Slack over Socket Mode against the real host process: slash command envelopes sent over the loopback Socket Mode
/// server by a few concurrent senders, timed from send to acknowledgement (Slack's limit: 3 s), with a connection
/// replaced (<c>refresh_requested</c>) halfway through; and how long the modals the acknowledged /escalate commands
/// open take to follow.
/// </summary>
public static class SocketModeLoad
{
    public static async Task<int> RunAsync(int envelopes, int concurrency)
    {
        Console.WriteLine($"cores: {Environment.ProcessorCount}  envelopes: {envelopes} per command  concurrency: {concurrency}");
        await using var slack = await FakeSlackApi.StartAsync();
        await using var socket = await FakeSlackSocketMode.StartAsync(slack);
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        var settings = new Dictionary<string, string?>(database.Settings)
        {
            ["Slack:AppToken"] = FakeSlackSocketMode.AppToken,
            ["Slack:BotToken"] = FakeSlackApi.Token,
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        await using var host = HostProcess.Start(settings);
        await host.WaitUntilReadyAsync();
        await socket.WaitForOpenAsync(2);

        // Warm-up: JIT and pools.
        await SendAsync(socket, "/help", 50, concurrency, replaceAt: -1);
        await SendAsync(socket, "/escalate", 50, concurrency, replaceAt: -1);
        await SettleAsync(slack, 50);

        var help = await SendAsync(socket, "/help", envelopes, concurrency, replaceAt: envelopes / 2);
        Percentiles.Report("ack /help (ms)", help.Latencies);
        Console.WriteLine($"  unacknowledged: {help.Unacknowledged}");

        var before = slack.Of("views.open").Count();
        var escalate = await SendAsync(socket, "/escalate", envelopes, concurrency, replaceAt: envelopes / 2);
        Percentiles.Report("ack /escalate (ms)", escalate.Latencies);
        Console.WriteLine($"  unacknowledged: {escalate.Unacknowledged}");
        var watch = Stopwatch.StartNew();
        var opened = await SettleAsync(slack, before + envelopes) - before;
        Console.WriteLine($"  modals opened: {opened} of {envelopes} acknowledged, the last {watch.Elapsed.TotalSeconds:F1} s after the last ack");
        Console.WriteLine($"  connections opened in all: {socket.Opened} (2 at start, one per replacement)  host RSS: {host.WorkingSetBytes / 1024 / 1024} MB");
        return help.Unacknowledged + escalate.Unacknowledged == 0 ? 0 : 1;
    }

    private sealed record Run(List<double> Latencies, int Unacknowledged);

    private static async Task<Run> SendAsync(FakeSlackSocketMode socket, string command, int count, int concurrency, int replaceAt)
    {
        var latencies = new List<double>();
        var unacknowledged = 0;
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                if (i == replaceAt) await socket.DisconnectAsync("refresh_requested", socket.OpenLinks.First());
                var watch = Stopwatch.StartNew();
                var ack = await socket.DeliverAsync("slash_commands", Command(command, i), wait: TimeSpan.FromSeconds(10));
                lock (latencies)
                {
                    if (ack is null) unacknowledged++;
                    else latencies.Add(watch.Elapsed.TotalMilliseconds);
                }
            }
        })));
        return new Run(latencies, unacknowledged);
    }

    private static JsonObject Command(string command, int i) => new()
    {
        ["token"] = "x", ["team_id"] = "T0TEAM", ["channel_id"] = "C0GENERAL", ["user_id"] = "U0ANA00005", ["user_name"] = "ana",
        ["command"] = command, ["text"] = "checkout is failing", ["trigger_id"] = $"{i}.2.3", ["api_app_id"] = "A0BOT",
        ["response_url"] = "https://hooks.slack.com/commands/1",
    };

    private static async Task<int> SettleAsync(FakeSlackApi slack, int expected)
    {
        var watch = Stopwatch.StartNew();
        while (slack.Of("views.open").Count() < expected && watch.Elapsed < TimeSpan.FromSeconds(120)) await Task.Delay(50);
        return slack.Of("views.open").Count();
    }
}
