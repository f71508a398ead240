using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Bot.Benchmarks;

/// <summary>Runs Debian's <c>wrk</c> against a loopback URL with a Lua script and reads its summary.</summary>
public static partial class Wrk
{
    public sealed record Result(double RequestsPerSecond, long Requests, long Errors, string P50, string P99, string Max, DateTimeOffset EndedAt);

    public static async Task<Result> RunAsync(string url, string luaScript, int seconds, int connections)
    {
        var script = Path.Combine(Path.GetTempPath(), $"wrk-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, luaScript);
        var start = new ProcessStartInfo("/usr/bin/wrk", ["-t2", $"-c{connections}", $"-d{seconds}s", "--latency", "-s", script, url])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var wrk = Process.Start(start)!;
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        File.Delete(script);

        double Number(Regex pattern) => double.Parse(pattern.Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        string Text(Regex pattern) => pattern.Match(output) is { Success: true } m ? m.Groups[1].Value : "?";
        return new Result(
            Number(RequestsPerSecond()),
            (long)Number(Requests()),
            NonSuccess().Match(output) is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            Text(P50()), Text(P99()), Text(MaxLatency()),
            DateTimeOffset.UtcNow);
    }

    public static void Report(string what, Result r) =>
        Console.WriteLine($"{what,-42} {r.RequestsPerSecond,10:F0} req/s  {r.Requests,8} requests  non-2xx {r.Errors}  p50 {r.P50}  p99 {r.P99}  max {r.Max}");

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"\s50%\s+(\S+)")]
    private static partial Regex P50();

    [GeneratedRegex(@"\s99%\s+(\S+)")]
    private static partial Regex P99();

    [GeneratedRegex(@"Latency\s+\S+\s+\S+\s+(\S+)")]
    private static partial Regex MaxLatency();
}
