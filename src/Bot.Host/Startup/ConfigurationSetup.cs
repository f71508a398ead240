using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Primitives;

namespace Bot.Host.Startup;

public static class ConfigurationSetup
{
    /// <summary>
    /// In Development the repository's two-team example directory is loaded first (lowest precedence), so the
    /// playground works on a fresh clone. Its settings may be adjusted key by key; but a configuration that names
    /// teams of its own (<c>Directory:Teams:N:Key</c>) replaces the example's teams and people entirely, so a real
    /// directory is never merged by array index with the example's leftovers.
    /// </summary>
    public static WebApplicationBuilder AddExampleDirectoryInDevelopment(this WebApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment()) return builder;
        var example = Path.Combine(AppContext.BaseDirectory, "appsettings.example.json");
        var sources = builder.Configuration.Sources;
        var index = sources.Select((s, i) => (s, i)).FirstOrDefault(x => x.s is JsonConfigurationSource).i;
        var json = new JsonConfigurationSource { Path = example, Optional = true, ReloadOnChange = false };
        json.ResolveFileProvider();
        sources.Insert(Math.Max(0, index), new ExampleDirectorySource(json, builder.Configuration));
        return builder;
    }

    public static WebApplicationBuilder AddBotLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        return builder;
    }

    /// <summary>The example file, which steps back from the directory when the rest of the configuration brings its own.</summary>
    private sealed class ExampleDirectorySource(JsonConfigurationSource json, IConfigurationRoot whole) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => new ExampleDirectoryProvider(json.Build(builder), whole);
    }

    private sealed class ExampleDirectoryProvider(IConfigurationProvider example, IConfigurationRoot whole) : IConfigurationProvider
    {
        private static readonly string[] Replaced = ["Directory:Teams", "Directory:People"];

        public bool TryGet(string key, out string? value)
        {
            value = null;
            return !(IsReplaced(key) && OthersNameTheirTeams()) && example.TryGet(key, out value);
        }

        public IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath) =>
            parentPath is not null && IsReplaced(parentPath) && OthersNameTheirTeams() ? earlierKeys : example.GetChildKeys(earlierKeys, parentPath);

        public void Set(string key, string? value) => example.Set(key, value);

        public IChangeToken GetReloadToken() => example.GetReloadToken();

        public void Load() => example.Load();

        private static bool IsReplaced(string key) => Replaced.Any(r =>
            key.StartsWith(r, StringComparison.OrdinalIgnoreCase) && (key.Length == r.Length || key[r.Length] == ':'));

        // Asked anew each time: sources added later (command line, a test's settings) count as much as earlier ones.
        private bool OthersNameTheirTeams() => whole.Providers.Where(p => p != this).Any(p =>
            p.GetChildKeys([], "Directory:Teams").Distinct(StringComparer.OrdinalIgnoreCase)
                .Any(i => p.TryGet($"Directory:Teams:{i}:Key", out var key) && !string.IsNullOrWhiteSpace(key)));
    }
}
