using System.Diagnostics;
using System.Net;
using Bot.Core.Features.Escalation;
using Bot.Testing;
using Bot.Testing.Conformance;

// Load runs against the real host process on loopback; bounded in count and time. Not part of the test suite.
var mode = args.FirstOrDefault() ?? "startup";
return mode switch
{
    "startup" => await StartupAsync(runs: ArgInt(1, 5)),
    "commands" => await CommandsAsync(total: ArgInt(1, 300), concurrency: ArgInt(2, 8)),
    "slack" => await Bot.Benchmarks.SlackLoad.RunAsync(seconds: ArgInt(1, 10), connections: ArgInt(2, 50)),
    "socket-mode" => await Bot.Benchmarks.SocketModeLoad.RunAsync(envelopes: ArgInt(1, 2000), concurrency: ArgInt(2, 16)),
    "teams" => await Bot.Benchmarks.TeamsLoad.RunAsync(seconds: ArgInt(1, 10), connections: ArgInt(2, 10)),
    "digests" => await Bot.Benchmarks.DigestLoad.RunAsync(Enum.Parse<TestProvider>(args.ElementAtOrDefault(1) ?? "sqlite", ignoreCase: true), runs: ArgInt(2, 3)),
    "digests-measure" => await Bot.Benchmarks.DigestLoad.MeasureAsync(Enum.Parse<TestProvider>(args[1]), args[2], int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture)),
    "storm" => await Bot.Benchmarks.StormLoad.RunAsync(Enum.Parse<TestProvider>(args.ElementAtOrDefault(1) ?? "sqlite", ignoreCase: true), count: ArgInt(2, 1000), seconds: ArgInt(3, 10)),
    _ => Usage(),
};

int ArgInt(int index, int fallback) => args.Length > index && int.TryParse(args[index], out var v) ? v : fallback;

static int Usage()
{
    Console.Error.WriteLine("usage: Bot.Benchmarks startup [runs] | commands [total] [concurrency] | slack [seconds] [connections] | socket-mode [envelopes] [concurrency] | teams [seconds] [connections] | digests [sqlite|postgres] [runs] | storm [sqlite|postgres] [webhooks] [seconds]");
    return 64;
}

// Time from process start to /health/ready 200, and resident memory once idle, on a fresh and on an existing database.
static async Task<int> StartupAsync(int runs)
{
    Console.WriteLine($"host: {HostProcess.HostDirectory()}  cores: {Environment.ProcessorCount}  runs: {runs}");
    var fresh = new List<double>();
    var warm = new List<double>();
    var idle = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite, empty: true);
        await using (var first = HostProcess.Start(database.Settings))
        {
            fresh.Add((await first.WaitUntilReadyAsync()).TotalMilliseconds);
        }
        await using var second = HostProcess.Start(database.Settings);
        warm.Add((await second.WaitUntilReadyAsync()).TotalMilliseconds);
        // Let Hangfire's server, the sweep registration and the first GCs settle, then read RSS.
        await Task.Delay(TimeSpan.FromSeconds(10));
        idle.Add(second.WorkingSetBytes / 1024.0 / 1024.0);
    }
    Report("ready, new database (ms)", fresh);
    Report("ready, existing database (ms)", warm);
    Report("idle RSS after 10 s (MB)", idle);
    return 0;
}

// Latency of playground commands and form submissions through the real HTTP stack, under bounded concurrency.
static async Task<int> CommandsAsync(int total, int concurrency)
{
    await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
    await using var host = HostProcess.Start(database.Settings);
    await host.WaitUntilReadyAsync();
    var client = new PlaygroundClient(host.CreateClient());

    var commandTimes = new List<double>();
    var submitTimes = new List<double>();
    var people = new[] { "ana", "raj", "mia", "sam", "bea", "kim", "lee" };
    var gate = new SemaphoreSlim(concurrency);
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, total).Select(async i =>
    {
        await gate.WaitAsync();
        try
        {
            var person = people[i % people.Length];
            var started = Stopwatch.GetTimestamp();
            var response = await client.SendAsync(person, "#general", $"/escalate load {i}");
            lock (commandTimes) commandTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (response.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"command answered {(int)response.StatusCode}");
            if (i % 3 != 0) return;

            var entries = await client.EntriesAsync(person, "#general");
            // The form this command opened: it is prefilled with the command's text.
            var form = entries.Last(e => e.Form?.FormId == EscalationForms.RaiseId && e.Form.Fields[0].Initial == $"load {i}");
            started = Stopwatch.GetTimestamp();
            var (status, _) = await client.SubmitAsync(person, form.Id, EscalationScenarios.ValidForm());
            lock (submitTimes) submitTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (status != HttpStatusCode.OK) throw new InvalidOperationException($"submit answered {(int)status}");
        }
        finally
        {
            gate.Release();
        }
    }));
    Console.WriteLine($"{total} commands, {submitTimes.Count} submissions, concurrency {concurrency}, {watch.Elapsed.TotalSeconds:F1} s");
    Report("/escalate command answered (ms)", commandTimes);
    Report("escalation form submitted (ms)", submitTimes);
    Console.WriteLine($"RSS after the run: {host.WorkingSetBytes / 1024.0 / 1024.0:F0} MB");
    return 0;
}

static void Report(string what, List<double> values) => Bot.Benchmarks.Percentiles.Report(what, values);
