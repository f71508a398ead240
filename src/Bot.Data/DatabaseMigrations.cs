using System.Data.Common;
using System.Globalization;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace Bot.Data;

/// <summary>
/// Brings the database to the latest migration. A new database runs the provider's generated script of every
/// migration (<c>FreshDatabase.sql</c>, what <c>dotnet ef migrations script --no-transactions</c> writes) in one
/// transaction; one with some migrations applied gets the rest from EF Core's migrator. The script is the migrator's
/// own output, kept current by a test, and skips building each migration's target model, most of a first start.
/// </summary>
public static class DatabaseMigrations
{
    private const string HistoryTable = HistoryRepository.DefaultTableName;

    // Any constant: hosts starting together on one new PostgreSQL database take turns creating it.
    private const long FreshDatabaseLock = 0x0b07_5c4e_3a00_0001;

    /// <summary>Applies this provider's migrations; on SQLite also switches to WAL so readers do not wait for the writer.</summary>
    public static async Task<MigrationOutcome> MigrateAsync(BotDbContext db, CancellationToken ct)
    {
        var sqlite = db.Database.IsSqlite();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (sqlite) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            var applied = await AppliedAsync(db.Database.GetDbConnection(), null, sqlite, ct);
            if (!db.Database.GetMigrations().Except(applied).Any()) return MigrationOutcome.UpToDate;
            if (applied.Count == 0 && await CreateFromScriptAsync(db, sqlite, ct)) return MigrationOutcome.Created;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        await db.Database.MigrateAsync(ct);
        return MigrationOutcome.Migrated;
    }

    /// <summary>
    /// The migrations the history table lists, read with one plain query: EF's own reader first builds a model of the
    /// history table with every convention, the largest piece of start-up work on a database that is up to date.
    /// </summary>
    public static async Task<IReadOnlyList<string>> AppliedMigrationsAsync(BotDbContext db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            return await AppliedAsync(db.Database.GetDbConnection(), null, db.Database.IsSqlite(), ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The script that creates this provider's database as every migration leaves it.</summary>
    public static string FreshDatabaseScript(bool sqlite)
    {
        var name = sqlite ? "Bot.Data.Migrations.Sqlite.FreshDatabase.sql" : "Bot.Data.Migrations.Postgres.FreshDatabase.sql";
        using var stream = typeof(DatabaseMigrations).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{name} is not embedded in Bot.Data");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>False when the script no longer ends at the latest migration (it is stale): the migrator then does it all.</summary>
    private static async Task<bool> CreateFromScriptAsync(BotDbContext db, bool sqlite, CancellationToken ct)
    {
        var script = FreshDatabaseScript(sqlite);
        if (!script.Contains($"'{db.Database.GetMigrations().Last()}'", StringComparison.Ordinal)) return false;

        var connection = db.Database.GetDbConnection();
        // A second host starting on the same new database waits for the first to finish, then finds it created.
        await using var transaction = await db.BeginExclusiveAsync(FreshDatabaseLock, ct);
        var dbTransaction = transaction.GetDbTransaction();
        if ((await AppliedAsync(connection, dbTransaction, sqlite, ct)).Count == 0) await ExecuteAsync(connection, dbTransaction, script, ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    private static async Task<IReadOnlyList<string>> AppliedAsync(DbConnection connection, DbTransaction? transaction, bool sqlite, CancellationToken ct)
    {
        await using var exists = connection.CreateCommand();
        exists.Transaction = transaction;
        exists.CommandText = sqlite
            ? $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{HistoryTable}'"
            : $"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '{HistoryTable}'";
        if (Convert.ToInt64(await exists.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) == 0) return [];

        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = $"SELECT \"MigrationId\" FROM \"{HistoryTable}\"";
        var applied = new List<string>();
        await using var reader = await read.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) applied.Add(reader.GetString(0));
        return applied;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}

public enum MigrationOutcome
{
    /// <summary>Every migration was applied before.</summary>
    UpToDate,
    /// <summary>A new database, created by the script of every migration.</summary>
    Created,
    /// <summary>The migrations not applied yet were applied by EF Core's migrator.</summary>
    Migrated,
}
