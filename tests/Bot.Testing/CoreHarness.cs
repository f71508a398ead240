using System.Collections.Concurrent;
using Bot.Core;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Bot.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Testing;

/// <summary>
/// Core wired as the host wires it (real EF Core on a real database, the example directory) but without ASP.NET or
/// Hangfire: a recording channel and a recording dispatcher stand in for the two ports a host provides.
/// </summary>
public sealed class CoreHarness : IAsyncDisposable
{
    private readonly TestDatabase _database;

    private CoreHarness(TestDatabase database, ServiceProvider services)
    {
        _database = database;
        Services = services;
    }

    public ServiceProvider Services { get; }
    public FakeTimeProvider Clock => (FakeTimeProvider)Services.GetRequiredService<TimeProvider>();
    public RecordingChannel Channel => Services.GetRequiredService<RecordingChannel>();
    public RecordingDispatcher Dispatcher => Services.GetRequiredService<RecordingDispatcher>();

    public static async Task<CoreHarness> CreateAsync(TestProvider provider = TestProvider.Sqlite, Action<IServiceCollection>? configure = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.example.json"))
            .AddInMemoryCollection(database.Settings)
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<ILoggerFactory, NullLoggerFactory>()
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddSingleton<TimeProvider>(new FakeTimeProvider(BotAppFactory.DefaultStart))
            .AddSingleton<RecordingChannel>(_ => new RecordingChannel("playground"))
            .AddSingleton<IChatChannel>(sp => sp.GetRequiredService<RecordingChannel>())
            .AddSingleton<RecordingDispatcher>()
            .AddSingleton<IReminderDispatcher>(sp => sp.GetRequiredService<RecordingDispatcher>());
        services.AddBotCore();
        services.AddBotData();
        configure?.Invoke(services);
        var built = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        await using (var scope = built.CreateAsyncScope())
        {
            await DatabaseMigrations.MigrateAsync(scope.ServiceProvider.GetRequiredService<BotDbContext>(), CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<DirectorySeeder>().SeedAsync(CancellationToken.None);
        }
        return new CoreHarness(database, built);
    }

    public async Task<T> WithDbAsync<T>(Func<BotDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<BotDbContext>());
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await _database.DisposeAsync();
    }
}

/// <summary>Records what the scheduling port was told, in order.</summary>
public sealed class RecordingDispatcher : IReminderDispatcher
{
    public ConcurrentQueue<(long Id, DateTimeOffset DueAt)> Dispatched { get; } = new();

    public void Dispatch(long reminderId, DateTimeOffset dueAt) => Dispatched.Enqueue((reminderId, dueAt));
}
