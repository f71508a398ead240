namespace Bot.Host.Startup;

public static class ConfigurationSetup
{
    /// <summary>
    /// In Development the repository's two-team example directory is loaded first (lowest precedence), so the
    /// playground works on a fresh clone; any real configuration overrides it.
    /// </summary>
    public static WebApplicationBuilder AddExampleDirectoryInDevelopment(this WebApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment()) return builder;
        var example = Path.Combine(AppContext.BaseDirectory, "appsettings.example.json");
        var sources = builder.Configuration.Sources;
        var index = sources.Select((s, i) => (s, i)).FirstOrDefault(x => x.s is Microsoft.Extensions.Configuration.Json.JsonConfigurationSource).i;
        var json = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource { Path = example, Optional = true, ReloadOnChange = false };
        json.ResolveFileProvider();
        sources.Insert(Math.Max(0, index), json);
        return builder;
    }

    public static WebApplicationBuilder AddBotLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        return builder;
    }
}
