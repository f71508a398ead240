using Bot.Core;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Data;

public static class BotDataRegistration
{
    /// <summary>
    /// Registers the <see cref="BotDbContext"/> of the configured provider. <c>Storage:Provider</c> and
    /// <c>ConnectionStrings:Bot</c> are read when first needed, so configuration added late (tests, hosting) still counts.
    /// </summary>
    public static IServiceCollection AddBotData(this IServiceCollection services)
    {
        services.AddSingleton(sp => Read(sp.GetRequiredService<IConfiguration>()));
        services.AddDbContext<SqliteBotDbContext>((sp, o) => o
            .UseSqlite(sp.GetRequiredService<StorageOptions>().ConnectionString)
            .AddInterceptors(sp.GetRequiredService<ReminderDispatchInterceptor>(), SqlitePragmas.Instance)
            .ConfigureWarnings(NoModelDiffAtRunTime));
        services.AddDbContext<PostgresBotDbContext>((sp, o) => o
            .UseNpgsql(sp.GetRequiredService<StorageOptions>().ConnectionString)
            .AddInterceptors(sp.GetRequiredService<ReminderDispatchInterceptor>())
            .ConfigureWarnings(NoModelDiffAtRunTime));
        services.AddScoped<BotDbContext>(sp => sp.GetRequiredService<StorageOptions>().Provider == StorageProvider.Sqlite
            ? sp.GetRequiredService<SqliteBotDbContext>()
            : sp.GetRequiredService<PostgresBotDbContext>());
        return services;
    }

    // Migrate() would otherwise build the design-time model and diff it against the snapshot on every first start (about
    // a second); ModelUpToDateTests makes the same check where it belongs, before anything lands.
    private static void NoModelDiffAtRunTime(WarningsConfigurationBuilder warnings) =>
        warnings.Ignore(RelationalEventId.PendingModelChangesWarning);

    public static StorageOptions Read(IConfiguration configuration)
    {
        var providerText = configuration["Storage:Provider"];
        var provider = StorageProvider.Sqlite;
        if (!string.IsNullOrWhiteSpace(providerText) && !Enum.TryParse(providerText, ignoreCase: true, out provider))
            throw new ConfigurationError("Storage:Provider", $"'{providerText}' is not a storage provider; use Sqlite or Postgres");

        var connectionString = configuration.GetConnectionString("Bot");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider == StorageProvider.Postgres)
                throw new ConfigurationError("ConnectionStrings:Bot", "is required when Storage:Provider is Postgres");
            connectionString = StorageOptions.DefaultSqlite;
        }

        try
        {
            if (provider == StorageProvider.Sqlite) _ = new SqliteConnectionStringBuilder(connectionString);
            else CheckPostgres(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new ConfigurationError("ConnectionStrings:Bot", $"is not a valid {provider} connection string ({ex.Message})");
        }
        return new StorageOptions(provider, connectionString);
    }

    // Kept apart so a SQLite host never loads the PostgreSQL driver.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void CheckPostgres(string connectionString) => _ = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);

    /// <summary>Applies this provider's migrations; on SQLite also switches to WAL so readers do not wait for the writer.</summary>
    public static async Task MigrateAsync(BotDbContext db, CancellationToken ct)
    {
        if (db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
        // Checking the history first is cheap; Migrate() would also build every migration's target model.
        if (db.Database.GetMigrations().Except(await AppliedMigrationsAsync(db, ct)).Any()) await db.Database.MigrateAsync(ct);
    }

    /// <summary>
    /// The migrations the history table lists, read with one plain query: EF's own reader first builds a model of the
    /// history table with every convention, the largest piece of start-up work on a database that is up to date.
    /// </summary>
    public static async Task<IReadOnlyList<string>> AppliedMigrationsAsync(BotDbContext db, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var exists = connection.CreateCommand();
            exists.CommandText = db.Database.IsSqlite()
                ? $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{HistoryTable}'"
                : $"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '{HistoryTable}'";
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) == 0) return [];

            await using var read = connection.CreateCommand();
            read.CommandText = $"SELECT \"MigrationId\" FROM \"{HistoryTable}\"";
            var applied = new List<string>();
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) applied.Add(reader.GetString(0));
            return applied;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private const string HistoryTable = HistoryRepository.DefaultTableName;
}
