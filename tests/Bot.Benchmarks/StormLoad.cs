using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Bot.Core.Features.Incidents;
using Bot.Core.Scheduling;
using Bot.Testing;
using Microsoft.EntityFrameworkCore;

namespace Bot.Benchmarks;

/// <summary>
/// An alert storm against the real host on loopback: a monitoring tool fires <c>count</c> signed incident webhooks for one
/// service over <c>seconds</c> seconds (evenly spaced, each on its own request). Every answer should be 2xx and every alert
/// stored; the team's Slack channel should receive one card, then updates no closer than Slack's pace of one per second.
/// </summary>
public static class StormLoad
{
    private const string Channel = "C0PAYMENTS";

    public static async Task<int> RunAsync(TestProvider provider, int count, int seconds)
    {
        await using var slack = await FakeSlackApi.StartAsync();
        await using var database = await TestDatabase.CreateAsync(provider);
        var settings = new Dictionary<string, string?>(database.Settings)
        {
            ["Slack:SigningSecret"] = SlackSigner.Secret,
            ["Slack:BotToken"] = FakeSlackApi.Token,
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
            ["Webhooks:Secret"] = SignedWebhooks.Secret,
            ["Logging:LogLevel:Default"] = "Warning",
            // 00:00:00 measures the same flood without grouping (a card per alert), for comparison.
            ["Incidents:GroupWindow"] = Environment.GetEnvironmentVariable("STORM_GROUP_WINDOW") ?? "00:05:00",
        };
        await using var host = HostProcess.Start(settings);
        await host.WaitUntilReadyAsync();
        Console.WriteLine($"cores: {Environment.ProcessorCount}  provider: {provider}  {count} webhooks over {seconds} s, one service (Checkout)");

        using var http = host.CreateClient();
        var run = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}";
        // Warm-up on another team's service (#platform), so the storm meets a host that has served webhooks before.
        for (var i = 0; i < 50; i++)
        {
            using var warm = await SignedWebhooks.IncidentAsync(http,
                new JsonObject { ["id"] = $"warm-{run}-{i}", ["title"] = "CI runners saturated", ["service"] = "ci", ["status"] = "open" }.ToJsonString());
        }
        var latencies = new double[count];
        var statuses = new HttpStatusCode[count];
        var started = Stopwatch.GetTimestamp();
        var interval = TimeSpan.FromSeconds(seconds) / count;
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            // Fired on schedule whatever the answers take, as a monitoring tool does.
            var due = interval * i - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero) await Task.Delay(due);
            var body = new JsonObject
            {
                ["id"] = $"storm-{run}-{i}", ["title"] = $"Checkout alert {i}: error rate above 5%", ["service"] = "checkout", ["impact"] = 2, ["status"] = "open",
            }.ToJsonString();
            var sent = Stopwatch.GetTimestamp();
            using var response = await SignedWebhooks.IncidentAsync(http, body);
            latencies[i] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            statuses[i] = response.StatusCode;
        }));
        var sending = Stopwatch.GetElapsedTime(started);
        var answered2xx = statuses.Count(s => (int)s is >= 200 and < 300);
        Console.WriteLine($"sent in {sending.TotalSeconds:F1} s: {answered2xx} of {count} answered 2xx " +
                          $"({string.Join(", ", statuses.GroupBy(s => (int)s).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"))})");
        Percentiles.Report("webhook answered (ms)", latencies);

        // Let the reminders catch up: the card, and the refreshes that coalesce into paced updates.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            await using var db = database.OpenContext();
            var now = DateTimeOffset.UtcNow.AddSeconds(1);
            if (!await db.Reminders.AnyAsync(r => (r.Status == ReminderStatus.Pending || r.Status == ReminderStatus.Claimed) && r.DueAt < now)) break;
            await Task.Delay(500);
        }
        var settled = Stopwatch.GetElapsedTime(started);
        await using (var db = database.OpenContext())
        {
            var stored = await db.Incidents.CountAsync();
            var primaries = await db.Incidents.CountAsync(i => i.GroupedIntoId == null);
            Console.WriteLine($"stored: {stored} incidents, {primaries} with a card of their own, {stored - primaries} related alerts");
        }
        var posts = slack.Of("chat.postMessage").Where(c => c.Body["channel"]?.GetValue<string>() == Channel).ToList();
        var updates = slack.Of("chat.update").Where(c => c.Body["channel"]?.GetValue<string>() == Channel).OrderBy(c => c.At).ToList();
        Console.WriteLine($"#payments: {posts.Count} post(s), {updates.Count} update(s) of the card until settled at {settled.TotalSeconds:F1} s");
        var writes = posts.Concat(updates).OrderBy(c => c.At).Select(c => c.At).ToList();
        if (writes.Count > 1)
        {
            var gaps = writes.Zip(writes.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToArray();
            Console.WriteLine($"  spacing of the channel's posts and updates: min {gaps.Min():F0} ms, median {gaps.Order().ElementAt(gaps.Length / 2):F0} ms");
        }
        var shown = updates.Count == 0 ? null : System.Text.RegularExpressions.Regex.Match(updates[^1].Body["blocks"]!.ToJsonString(), @"(\d+) grouped here");
        Console.WriteLine($"  the card's last update shows: {(shown is { Success: true } ? shown.Groups[1].Value + " related alerts" : "no related alerts")}");
        Console.WriteLine($"host RSS after the run: {host.WorkingSetBytes / 1024 / 1024} MB");
        if (answered2xx < count && Environment.GetEnvironmentVariable("STORM_LOG") is { Length: > 0 } log) await File.WriteAllTextAsync(log, host.Output);
        return answered2xx == count ? 0 : 1;
    }
}
