using Bot.Core.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Testing;

/// <summary>
/// The real host (Program) in memory, on a real database and real Hangfire storage, with a controllable clock.
/// Development environment, so the example directory and the playground are on, as on a fresh clone.
/// </summary>
public sealed class BotAppFactory : WebApplicationFactory<Program>
{
    /// <summary>A Monday morning in Berlin: Payments' rotation (from 2026-01-05) has Bea on call as primary and Kim as secondary.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private readonly TestDatabase _database;
    private readonly Dictionary<string, string?> _settings;

    private readonly Action<IServiceCollection>? _services;

    private readonly bool _example;

    /// <param name="configureExample">Outside Development, load the example directory as a base (as tests need one), unless the settings bring their own.</param>
    public BotAppFactory(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null, string environment = "Development",
        Action<IServiceCollection>? services = null, bool configureExample = true)
    {
        _example = configureExample;
        _services = services;
        _database = database;
        Environment = environment;
        _settings = new Dictionary<string, string?>(database.Settings);
        // The generic webhooks are on in every test host; a test turns them off by setting an empty secret.
        _settings["Webhooks:Secret"] = SignedWebhooks.Secret;
        // The host's clock is a fake one here: a stop waits for no load balancer, and a retry waiting on that clock
        // would wait until the timeout cuts it short.
        _settings["Shutdown:DrainDelay"] = "00:00:00";
        _settings["Shutdown:Timeout"] = "00:00:06";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) _settings[key] = value;
    }

    public string Environment { get; }
    public FakeTimeProvider Clock { get; } = new(DefaultStart);
    public TestDatabase Database => _database;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        builder.ConfigureAppConfiguration((_, config) =>
        {
            // Outside Development the host does not load the example directory itself; tests still need one.
            if (Environment != "Development" && _example) config.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.example.json"), optional: false);
            config.AddInMemoryCollection(_settings);
        });
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            _services?.Invoke(services);
        });
    }

    public PlaygroundClient Playground() => new(CreateClient());

    /// <summary>Runs code against the host's own database, in a scope of the host's container.</summary>
    public async Task<T> WithDbAsync<T>(Func<BotDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<BotDbContext>());
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();
}
