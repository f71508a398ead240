using Bot.Core.Directory;
using Bot.Core.Storage;
using Bot.Data;

namespace Bot.Host.Startup;

public static class StorageSetup
{
    public static IServiceCollection AddBotStorage(this IServiceCollection services)
    {
        services.AddBotData();
        // Registered before the scheduler so the schema exists before any job runs.
        services.AddHostedService<DatabaseInitializer>();
        return services;
    }
}

/// <summary>Applies migrations and seeds the directory before the host serves requests.</summary>
public sealed partial class DatabaseInitializer(IServiceScopeFactory scopes, ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var schema = await DatabaseMigrations.MigrateAsync(db, cancellationToken);
        await scope.ServiceProvider.GetRequiredService<DirectorySeeder>().SeedAsync(cancellationToken);
        LogReady(logger, db.Database.ProviderName ?? "unknown", schema);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready ({Provider}, schema {Schema}); directory seeded")]
    private static partial void LogReady(ILogger logger, string provider, MigrationOutcome schema);
}
