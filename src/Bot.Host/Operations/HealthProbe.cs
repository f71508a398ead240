using System.Globalization;

namespace Bot.Host.Operations;

/// <summary>
/// <c>Bot.Host probe [/health/ready|/health/live]</c>: asks the bot running on this machine (the first of
/// <c>ASPNETCORE_HTTP_PORTS</c>, else 8080) for a health path and exits 0 when it answers 2xx, 1 otherwise. For container
/// health checks: the image has no shell, curl or wget.
/// </summary>
public static class HealthProbe
{
    public static bool Requested(string[] args) => args is ["probe", ..];

    public static async Task<int> RunAsync(string[] args)
    {
        var path = args.Length > 1 ? args[1] : "/health/ready";
        if (path is not ("/health/ready" or "/health/live"))
        {
            await Console.Error.WriteLineAsync("probe: the path is /health/ready or /health/live");
            return 2;
        }
        var ports = Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS")?.Split([';', ','], StringSplitOptions.RemoveEmptyEntries);
        var port = ports is [var first, ..] && int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 8080;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}{path}"));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 1;
        }
    }
}
