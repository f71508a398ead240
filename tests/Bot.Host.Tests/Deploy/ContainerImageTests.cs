using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Bot.Channels.Slack;
using Bot.Host.Scheduling;
using Bot.Testing;

namespace Bot.Host.Tests.Deploy;

/// <summary>
/// The container image as the SDK would build it (<c>dotnet publish -t:PublishContainer</c>): its configuration is computed
/// by the SDK's own container targets, which need no daemon or registry; pushing or running the image cannot be done here.
/// What the image relies on is run for real instead: the health probe its health check calls, and the host as a
/// non-root user who can write only its data folder and /tmp, as on a read-only root filesystem.
/// </summary>
public sealed class ContainerImageTests
{
    private static readonly string Project = Path.Combine(YamlFiles.RepositoryRoot(), "src", "Bot.Host", "Bot.Host.csproj");

    /// <summary>The SDK's container configuration of the host (target <c>ComputeContainerConfig</c>), as JSON.</summary>
    private static async Task<JsonObject> ContainerConfigAsync()
    {
        var start = new ProcessStartInfo("dotnet",
        [
            "msbuild", Project, "-nologo", "-t:ComputeContainerConfig", "-p:Configuration=Release",
            "-getProperty:ContainerBaseImage", "-getProperty:ContainerUser", "-getProperty:ContainerRepository", "-getProperty:ContainerWorkingDirectory",
            "-getItem:ContainerPort", "-getItem:ContainerEnvironmentVariable", "-getItem:ContainerAppCommand",
        ]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, output + await process.StandardError.ReadToEndAsync());
        return JsonNode.Parse(output)!.AsObject();
    }

    [Fact]
    public async Task PublishProperties_NonRootOnPort8080_DataUnderSlashData_StartedAsTheComposeHealthCheckExpects()
    {
        var config = await ContainerConfigAsync();
        var properties = config["Properties"]!;
        Assert.Equal("ops-culture-bot", properties.Str("ContainerRepository"));
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra", properties.Str("ContainerBaseImage"));
        Assert.Equal("app", properties.Str("ContainerUser"));
        Assert.Equal("/app/", properties.Str("ContainerWorkingDirectory"));

        var items = config["Items"]!;
        Assert.Equal(["8080"], items["ContainerPort"]!.AsArray().Select(p => p.Str("Identity")));
        var env = items["ContainerEnvironmentVariable"]!.AsArray().ToDictionary(e => e.Str("Identity")!, e => e.Str("Value"));
        Assert.Equal("8080", env["ASPNETCORE_HTTP_PORTS"]);
        // Both SQLite files on the volume: the bot's database and Hangfire's beside it.
        Assert.Equal("Data Source=/data/bot.db", env["ConnectionStrings__Bot"]);
        Assert.Equal("/data/bot.hangfire.db", SchedulingSetup.HangfireSqlitePath(env["ConnectionStrings__Bot"]!));

        // The compose health check runs the image's own command with "probe".
        var command = items["ContainerAppCommand"]!.AsArray().Select(c => c.Str("Identity")!).ToArray();
        Assert.Equal(["dotnet", "/app/Bot.Host.dll"], command);
        var check = YamlFiles.LoadSingle(Path.Combine(YamlFiles.RepositoryRoot(), "deploy", "compose.yaml"))["services"]!["bot"]!["healthcheck"]!["test"]!
            .AsArray().Select(t => t!.GetValue<string>()).ToArray();
        Assert.Equal(command, check[1..3]);
    }

    private static async Task<int> ProbeAsync(int port, string path)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(HostProcess.HostDirectory(), "Bot.Host.dll"), "probe", path])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    [SkippableFact]
    public async Task AsANonRootUser_WhoCanWriteOnlyItsDataFolder_TheHostRuns_AndItsProbeAnswers()
    {
        // Only root can start a process as another user; CI runs as root, and says so when it cannot run this.
        Skip.IfNot(Environment.UserName == "root" && OperatingSystem.IsLinux(), "Starting the host as another user needs root on Linux.");
        if (!OperatingSystem.IsLinux()) return;
        var data = Directory.CreateTempSubdirectory("bot-data-");
        try
        {
            const int nobody = 65534;
            File.SetUnixFileMode(data.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Assert.Equal(0, Chown(data.FullName, nobody, nobody));
            var settings = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Bot"] = $"Data Source={Path.Combine(data.FullName, "bot.db")}",
                ["HOME"] = "/nonexistent",
                ["Webhooks:Secret"] = SignedWebhooks.Secret,
            };
            await using var host = HostProcess.Start(settings, environment: "Development", asUser: nobody);
            await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));

            // The probe the image's health check runs.
            Assert.Equal(0, await ProbeAsync(host.BaseAddress.Port, "/health/ready"));
            Assert.Equal(0, await ProbeAsync(host.BaseAddress.Port, "/health/live"));
            Assert.Equal(2, await ProbeAsync(host.BaseAddress.Port, "/hangfire"));

            // It writes: an incident arrives and is stored.
            using var http = host.CreateClient();
            var now = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            var report = new JsonObject
            {
                ["id"] = "ro-1", ["title"] = "Checkout errors", ["service"] = "checkout", ["impact"] = 2, ["status"] = "open",
                ["openedAt"] = now, ["updatedAt"] = now,
            }.ToJsonString();
            Assert.True((await SignedWebhooks.IncidentAsync(http, report)).IsSuccessStatusCode);
            Assert.True(File.Exists(Path.Combine(data.FullName, "bot.db")));
            Assert.True(File.Exists(Path.Combine(data.FullName, "bot.hangfire.db")));

            Assert.True(await host.TerminateAsync(TimeSpan.FromSeconds(40)));
            Assert.Equal(0, host.ExitCode);
            Assert.Equal(1, await ProbeAsync(host.BaseAddress.Port, "/health/ready"));
            Assert.DoesNotContain("fail:", host.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("crit:", host.Output, StringComparison.Ordinal);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    private static extern int Chown(string path, int owner, int group);
}
