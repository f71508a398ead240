using Bot.Core;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
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
}
