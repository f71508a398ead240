using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bot.Channels.Slack;
using Bot.Core.Directory;
using Bot.Host.Operations;
using Bot.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Host.Tests.Deploy;

/// <summary>
/// The compose file and the Kubernetes manifests, checked against the host they deploy: no container daemon or cluster
/// runs here, so what can be checked is that the files parse, that probes, port and paths are the host's own, that every
/// environment variable is a configuration key the host accepts, and that a stop is given longer than the host's drain.
/// </summary>
public sealed partial class DeploymentFileTests
{
    private static readonly string Root = YamlFiles.RepositoryRoot();
    private static string DeployFile(string name) => Path.Combine(Root, "deploy", name);

    private static JsonObject Compose => YamlFiles.LoadSingle(DeployFile("compose.yaml"));

    private static IReadOnlyList<JsonObject> Kubernetes =>
        System.IO.Directory.GetFiles(DeployFile("kubernetes"), "*.yaml").Where(f => !f.EndsWith("kustomization.yaml", StringComparison.Ordinal))
            .SelectMany(YamlFiles.Load).ToArray();

    private static JsonObject Kind(string kind) => Assert.Single(Kubernetes, d => d.Str("kind") == kind);

    private static JsonObject BotContainer => (JsonObject)Kind("Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!;

    /// <summary>The stop budget the files give the host (its Shutdown:Timeout).</summary>
    private static TimeSpan ShutdownTimeout(JsonNode? configured) => TimeSpan.Parse(configured!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void EveryFile_Parses_AndKustomizeListsEveryManifest()
    {
        Assert.NotEmpty(Compose);
        var files = System.IO.Directory.GetFiles(DeployFile("kubernetes"), "*.yaml").Select(Path.GetFileName).ToHashSet();
        var listed = YamlFiles.LoadSingle(DeployFile("kubernetes/kustomization.yaml"))["resources"]!.AsArray().Select(r => r!.GetValue<string>()).ToHashSet();
        Assert.Equal(files.Where(f => f != "kustomization.yaml").Order(), listed.Order());
        Assert.Equal(
            ["ConfigMap", "Deployment", "Ingress", "PodDisruptionBudget", "Secret", "Service"],
            Kubernetes.Select(d => d.Str("kind")!).Order());
    }

    [Fact]
    public void Compose_RunsTwoReplicasOnPostgres_WithSecretsFromAnEnvFile_AndHealthChecksOnReady()
    {
        var services = Compose["services"]!.AsObject();
        var bot = services["bot"]!;
        Assert.Equal(2, bot["deploy"]!["replicas"]!.GetValue<long>());
        Assert.Equal("bot.env", bot.Str("env_file"));
        Assert.Equal("bot.env", services["postgres"].Str("env_file"));
        Assert.Equal("Postgres", bot["environment"].Str("Storage__Provider"));
        Assert.Equal("service_healthy", bot["depends_on"]!["postgres"].Str("condition"));
        // The image's own entry point, asked to probe the readiness path the host maps.
        var test = bot["healthcheck"]!["test"]!.AsArray().Select(t => t!.GetValue<string>()).ToArray();
        Assert.Equal(["CMD", "dotnet", "/app/Bot.Host.dll", "probe", "/health/ready"], test);
        Assert.True(HealthProbe.Requested(test[3..]));
        // Port 8080 inside, published on this machine only; a read-only root with /tmp in memory.
        Assert.EndsWith(":8080", bot["ports"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("127.0.0.1:", bot["ports"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(bot["read_only"]!.GetValue<bool>());
        Assert.Contains("/tmp", bot["tmpfs"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.True(ComposeDuration(bot.Str("stop_grace_period")!) > ShutdownTimeout(bot["environment"]!["Shutdown__Timeout"]));
        Assert.True(File.Exists(DeployFile("bot.env.example")));
    }

    [Fact]
    public void Kubernetes_TwoReplicas_RollingWithoutLosingCapacity_StoppedAfterTheDrain()
    {
        var deployment = Kind("Deployment")["spec"]!;
        Assert.Equal(2, deployment["replicas"]!.GetValue<long>());
        Assert.Equal("RollingUpdate", deployment["strategy"].Str("type"));
        Assert.Equal(0, deployment["strategy"]!["rollingUpdate"]!["maxUnavailable"]!.GetValue<long>());
        var grace = TimeSpan.FromSeconds(deployment["template"]!["spec"]!["terminationGracePeriodSeconds"]!.GetValue<long>());
        var config = Kind("ConfigMap")["data"]!;
        Assert.True(grace > ShutdownTimeout(config["Shutdown__Timeout"]), "terminationGracePeriodSeconds must outlast Shutdown:Timeout");
        Assert.True(ShutdownTimeout(config["Shutdown__DrainDelay"]) < ShutdownTimeout(config["Shutdown__Timeout"]));

        var pod = deployment["template"]!;
        var labels = pod["metadata"]!["labels"]!.AsObject();
        Assert.All(new[] { Kind("Service")["spec"]!["selector"]!, Kind("PodDisruptionBudget")["spec"]!["selector"]!["matchLabels"]!, deployment["selector"]!["matchLabels"]! },
            selector => Assert.All(selector.AsObject(), kv => Assert.Equal(kv.Value!.GetValue<string>(), labels[kv.Key]!.GetValue<string>())));
        Assert.Equal(1, Kind("PodDisruptionBudget")["spec"]!["minAvailable"]!.GetValue<long>());
    }

    [Fact]
    public void Kubernetes_ProbesAndPort_AreTheHosts_AndTheContainerIsLockedDown()
    {
        var container = BotContainer;
        Assert.Equal(8080, container["ports"]![0]!["containerPort"]!.GetValue<long>());
        var port = container["ports"]![0].Str("name");
        Assert.Equal("/health/live", container["livenessProbe"]!["httpGet"].Str("path"));
        Assert.Equal("/health/ready", container["readinessProbe"]!["httpGet"].Str("path"));
        Assert.All(new[] { "livenessProbe", "readinessProbe", "startupProbe" }, p => Assert.Equal(port, container[p]!["httpGet"].Str("port")));
        Assert.Equal(port, Kind("Service")["spec"]!["ports"]![0].Str("targetPort"));

        Assert.True(container["securityContext"]!["readOnlyRootFilesystem"]!.GetValue<bool>());
        Assert.False(container["securityContext"]!["allowPrivilegeEscalation"]!.GetValue<bool>());
        Assert.True(Kind("Deployment")["spec"]!["template"]!["spec"]!["securityContext"]!["runAsNonRoot"]!.GetValue<bool>());
        Assert.Contains("/tmp", container["volumeMounts"]!.AsArray().Select(m => m.Str("mountPath")));
        var envFrom = container["envFrom"]!.AsArray();
        Assert.Contains(envFrom, e => e!["secretRef"].Str("name") == Kind("Secret")["metadata"].Str("name"));
        Assert.Contains(envFrom, e => e!["configMapRef"].Str("name") == Kind("ConfigMap")["metadata"].Str("name"));
    }

    [Fact]
    public async Task ProbePathsAndIngressPaths_AreServedByTheHost()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        // Every inbound channel on, so its routes are mapped.
        await using var host = new BotAppFactory(database, new Dictionary<string, string?>
        {
            ["Slack:SigningSecret"] = SlackSigner.Secret, ["Slack:BotToken"] = FakeSlackApi.Token,
            ["Teams:AppId"] = "00000000-0000-0000-0000-000000000001", ["Teams:AppPassword"] = "a-client-secret", ["Teams:AllowAnyTenant"] = "true",
        });
        var http = host.CreateClient();
        var container = BotContainer;
        foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(container[probe]!["httpGet"].Str("path"))).StatusCode);

        var routes = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).ToArray();
        var paths = Kind("Ingress")["spec"]!["rules"]![0]!["http"]!["paths"]!.AsArray();
        Assert.NotEmpty(paths);
        foreach (var path in paths)
        {
            var prefix = path.Str("path")!;
            Assert.True(routes.Any(r => path.Str("pathType") == "Exact" ? r == prefix : r.StartsWith(prefix + "/", StringComparison.Ordinal)),
                $"The ingress sends {prefix} to the bot, which serves nothing there");
        }
        // Never the playground or the dashboard.
        Assert.DoesNotContain(paths, p => p.Str("path") is "/" or "/hangfire" or "/playground");
    }

    /// <summary>Every variable the files set, in configuration form (<c>Slack__BotToken</c> is <c>Slack:BotToken</c>), with its example value.</summary>
    private static Dictionary<string, string> Variables()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Compose["services"]!["bot"]!["environment"]!.AsObject()) variables[key] = value!.ToString();
        foreach (var (key, value) in Kind("ConfigMap")["data"]!.AsObject().Where(kv => !kv.Key.EndsWith(".json", StringComparison.Ordinal))) variables[key] = value!.ToString();
        foreach (var (key, value) in Kind("Secret")["stringData"]!.AsObject()) variables[key] = value!.ToString();
        // The env file example, with its commented alternatives.
        foreach (Match m in EnvLine().Matches(File.ReadAllText(DeployFile("bot.env.example")))) variables[m.Groups[1].Value] = m.Groups[2].Value;
        return variables;
    }

    [GeneratedRegex(@"^#?\s?([A-Za-z_][A-Za-z0-9_]*)=(.*)$", RegexOptions.Multiline)]
    private static partial Regex EnvLine();

    // Read by the runtime, ASP.NET Core or the database image, not by the bot's configuration.
    private static readonly string[] Platform = ["ASPNETCORE_ENVIRONMENT", "POSTGRES_PASSWORD"];

    [Fact]
    public void EveryVariable_IsAConfigurationKeyTheReadmeDocuments()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var table = readme[readme.IndexOf("## Configuration", StringComparison.Ordinal)..readme.IndexOf("### Endpoints", StringComparison.Ordinal)];
        foreach (var name in Variables().Keys.Where(k => !Platform.Contains(k)))
        {
            var key = name.Replace("__", ":", StringComparison.Ordinal);
            Assert.True(table.Contains($"`{key}`", StringComparison.Ordinal), $"{name} ({key}) is not in the README's configuration table");
        }
    }

    [Fact]
    public async Task EveryVariable_IsAcceptedByTheHost_WithTheDirectoryTheFilesShip()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        // The example values, as a configured host would read them; storage stays the test's, and Slack a loopback fake.
        var settings = Variables().Where(kv => !Platform.Contains(kv.Key) && kv.Key is not ("Storage__Provider" or "ConnectionStrings__Bot"))
            .ToDictionary(kv => kv.Key.Replace("__", ":", StringComparison.Ordinal), kv => (string?)kv.Value);
        settings.Remove("Slack:SigningSecret");
        // The host's clock is a fake one: its stop would wait for the drain delay forever.
        settings.Remove("Shutdown:DrainDelay");
        settings["Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString();
        var directory = new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Kind("ConfigMap")["data"].Str("appsettings.Production.json")!)))
            .Build();
        foreach (var (key, value) in directory.AsEnumerable().Where(kv => kv.Value is not null)) settings[key] = value;
        await using var host = new BotAppFactory(database, settings, environment: "Production", configureExample: false);

        Assert.Equal(HttpStatusCode.OK, (await host.CreateClient().GetAsync("/health/ready")).StatusCode);
        Assert.Equal(["payments"], await host.WithDbAsync(db => Task.FromResult(db.Teams.Select(t => t.Key).ToArray())));
    }

    private static TimeSpan ComposeDuration(string value) =>
        value.EndsWith('s') ? TimeSpan.FromSeconds(int.Parse(value[..^1], System.Globalization.CultureInfo.InvariantCulture))
        : value.EndsWith('m') ? TimeSpan.FromMinutes(int.Parse(value[..^1], System.Globalization.CultureInfo.InvariantCulture))
        : throw new FormatException(value);
}
