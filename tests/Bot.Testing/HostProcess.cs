using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bot.Testing;

/// <summary>
/// The real Bot.Host in its own OS process on a free loopback port: for restarts, browser tests and start-up checks.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HostProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public long WorkingSetBytes
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    /// <summary>
    /// Starts the host on a free loopback port. With <paramref name="asUser"/> (a uid; needs root) it runs as that user, for
    /// whom only what it owns is writable: how a container's non-root user on a read-only root filesystem sees the disk.
    /// </summary>
    public static HostProcess Start(IReadOnlyDictionary<string, string?> settings, string environment = "Development", int? asUser = null)
    {
        var hostDirectory = HostDirectory();
        var port = FreePort();
        var dll = Path.Combine(hostDirectory, "Bot.Host.dll");
        var (file, arguments) = asUser is { } uid
            ? ("setpriv", new[] { $"--reuid={uid}", $"--regid={uid}", "--clear-groups", "dotnet", dll })
            : ("dotnet", new[] { dll });
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = hostDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // No load balancer to wait for, only the tests: a stop refuses new requests after a short moment.
        start.Environment["Shutdown__DrainDelay"] = "00:00:00.500";
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the host process.");
        return new HostProcess(process, new Uri($"http://127.0.0.1:{port}/"));
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Waits until /health/ready answers 200; returns how long that took from now.</summary>
    public async Task<TimeSpan> WaitUntilReadyAsync(TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        using var http = CreateClient();
        http.Timeout = TimeSpan.FromSeconds(2);
        await Eventually.TrueAsync(async () =>
        {
            if (_process.HasExited) throw new InvalidOperationException($"The host exited with {_process.ExitCode}:\n{Output}");
            try
            {
                return (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
            catch (TaskCanceledException)
            {
                return false;
            }
        }, "the host to be ready", timeout ?? TimeSpan.FromSeconds(60));
        return watch.Elapsed;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>
    /// Asks the process to stop (SIGTERM, as a deploy or <c>docker stop</c> does) and waits for it to exit by itself;
    /// true when it did within <paramref name="timeout"/> (else it is killed).
    /// </summary>
    public async Task<bool> TerminateAsync(TimeSpan timeout)
    {
        if (_process.HasExited) return true;
        if (SendSignal(_process.Id, SigTerm) != 0) throw new InvalidOperationException("Could not send SIGTERM to the host.");
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            return false;
        }
    }

    private const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    /// <summary>Ends the process at once, as a crash or an OOM kill would: no graceful shutdown.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    public static string HostDirectory()
    {
        // A published host (e.g. the ReadyToRun build the container image ships) can be measured in place of the build output.
        if (Environment.GetEnvironmentVariable("BOT_HOST_DIRECTORY") is { Length: > 0 } published)
            return File.Exists(Path.Combine(published, "Bot.Host.dll")) ? published : throw new InvalidOperationException($"Bot.Host is not published at {published}.");
        var testBin = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = testBin.Parent?.Name ?? "Debug";
        var root = testBin;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Bot.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException("Could not find Bot.sln above the test output.");
        var directory = Path.Combine(root.FullName, "src", "Bot.Host", "bin", configuration, "net10.0");
        if (!File.Exists(Path.Combine(directory, "Bot.Host.dll")))
            throw new InvalidOperationException($"Bot.Host is not built at {directory}.");
        return directory;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
