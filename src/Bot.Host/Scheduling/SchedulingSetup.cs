using Bot.Core;
using Bot.Core.Scheduling;
using Bot.Data;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Microsoft.Data.Sqlite;

namespace Bot.Host.Scheduling;

public static class SchedulingSetup
{
    /// <summary>Hangfire on the same provider as the bot's data (never in-memory), plus the in-process fast path for due-now reminders.</summary>
    public static IServiceCollection AddBotScheduling(this IServiceCollection services)
    {
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section);
        // With antiforgery registered the dashboard checks a token on every POST, so a page elsewhere cannot make a
        // signed-in browser trigger or delete jobs.
        services.AddAntiforgery();
        // Its keys are kept in the bot's database, for every replica.
        Startup.KeyRingInDatabase.AddTo(services);
        services.AddHangfire((sp, config) =>
        {
            var storage = sp.GetRequiredService<StorageOptions>();
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            // Separate methods, so a host only loads the storage it uses.
            if (storage.Provider == StorageProvider.Sqlite) UseSqlite(config, storage);
            else UsePostgres(config, storage);
        });
        services.AddHangfireServer((sp, o) =>
        {
            // Hangfire stops fetching jobs when the host starts stopping; a job still running StopTimeout later is
            // cancelled, its reminder handed back, and Hangfire requeues the job.
            var shutdown = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Operations.ShutdownOptions>>().Value;
            o.StopTimeout = shutdown.ReminderGrace;
            o.ShutdownTimeout = shutdown.Timeout / 3;
            o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            o.WorkerCount = Math.Clamp(Environment.ProcessorCount * 2, 2, 8);
        });

        services.AddSingleton<InProcessReminderQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<InProcessReminderQueue>());
        services.AddSingleton<IDrainOnShutdown>(sp => sp.GetRequiredService<InProcessReminderQueue>());
        services.AddSingleton<IReminderDispatcher, HangfireReminderDispatcher>();
        services.AddSingleton<ReminderSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<ReminderSweeper>());
        services.AddSingleton<IDrainOnShutdown>(sp => sp.GetRequiredService<ReminderSweeper>());
        services.AddScoped<ReminderJob>();
        services.AddSingleton<IReminderGiveUpListener, GaveUpOnTheDashboard>();
        services.AddScoped<RecurringJobRunner>();
        services.AddHostedService<RecurringJobRegistrar>();
        return services;
    }

    private static void UseSqlite(IGlobalConfiguration config, StorageOptions storage) =>
        config.UseSQLiteStorage(HangfireSqlitePath(storage.ConnectionString), new SQLiteStorageOptions
        {
            // The default 15 s poll would delay every job; delayed jobs are polled by the server below.
            QueuePollInterval = TimeSpan.FromSeconds(1),
        });

    private static void UsePostgres(IGlobalConfiguration config, StorageOptions storage) =>
        config.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(storage.ConnectionString), new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = TimeSpan.FromSeconds(1),
        });

    /// <summary>Hangfire's SQLite storage keeps its own file beside the bot's database: <c>bot.db</c> → <c>bot.hangfire.db</c>.</summary>
    public static string HangfireSqlitePath(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrWhiteSpace(dataSource) || dataSource == ":memory:")
            throw new Core.ConfigurationError("ConnectionStrings:Bot", "needs a SQLite file (Data Source=bot.db); reminders must survive a restart");
        var directory = Path.GetDirectoryName(dataSource);
        var name = Path.GetFileNameWithoutExtension(dataSource) + ".hangfire" + Path.GetExtension(dataSource);
        return string.IsNullOrEmpty(directory) ? name : Path.Combine(directory, name);
    }
}
