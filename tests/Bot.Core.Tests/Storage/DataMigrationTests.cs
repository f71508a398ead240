using Bot.Core.Cards;
using Bot.Core.Directory;
using Bot.Data;
using Bot.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Bot.Core.Tests.Storage;

/// <summary>Data stored before a migration that reshapes it is still there after it, on each provider.</summary>
public abstract class DataMigrationTests(TestProvider provider)
{
    [Fact]
    public async Task Migration_KeepsPostedIncidentCardsReviewPromptsAndEscalationMessages()
    {
        await using var database = await TestDatabase.CreateAsync(provider, empty: true);
        await using var db = database.OpenContext();
        var migrator = await MigrateToJustBeforeAsync(db, "_LivingCards");

        var at = provider == TestProvider.Sqlite ? "0" : "now()";
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO "Incidents" ("Source", "ExternalId", "Title", "Impact", "Status", "OpenedAt", "UpdatedAt", "LastReportedAt", "Links", "Version")
            VALUES ('webhook', 'x-1', 'Checkout down', 1, 'Open', @at, @at, @at, '[]', 0);
            INSERT INTO "IncidentPosts" ("IncidentId", "Channel", "Purpose", "ConversationId", "MessageId") VALUES (1, 'slack', 'card', 'C1', '111.1');
            INSERT INTO "IncidentPosts" ("IncidentId", "Channel", "Purpose", "ConversationId", "MessageId") VALUES (1, 'slack', 'review', 'C1', '222.2');
            INSERT INTO "IncidentPosts" ("IncidentId", "Channel", "Purpose", "ConversationId", "MessageId") VALUES (1, 'teams', 'card', '', '');
            INSERT INTO "Escalations" ("Summary", "TeamKey", "Impact", "Urgency", "Channel", "RaisedInConversation", "RaisedByUserId", "RaisedByName",
                "RaisedAt", "Status", "Level", "Responders", "Version", "AnnouncementConversation", "AnnouncementMessageId")
            VALUES ('Help', 'payments', 'AffectedNow', 'Now', 'slack', 'C9', 'U1', 'Sam', @at, 'Open', 0, '[]', 0, 'C2', '333.3');
            INSERT INTO "Escalations" ("Summary", "TeamKey", "Impact", "Urgency", "Channel", "RaisedInConversation", "RaisedByUserId", "RaisedByName",
                "RaisedAt", "Status", "Level", "Responders", "Version")
            VALUES ('Not posted yet', 'payments', 'AffectedNow', 'Now', 'slack', 'C9', 'U1', 'Sam', @at, 'Open', 0, '[]', 0);
            """.Replace("@at", at, StringComparison.Ordinal));

        await migrator.MigrateAsync();

        var cards = (await db.LivingCards.AsNoTracking().ToListAsync())
            .Select(c => $"{c.Subject}:{c.SubjectId}:{c.Purpose}:{c.Channel}:{c.ConversationId}:{c.MessageId}").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["escalation:1:card:slack:C2:333.3", "incident:1:card:slack:C1:111.1", "incident:1:card:teams::", "incident:1:review:slack:C1:222.2"], cards);
        // An unsent claim carried over is old, so the next post takes it again rather than waiting.
        var unsent = await db.LivingCards.AsNoTracking().SingleAsync(c => c.MessageId == "");
        Assert.True(unsent.ClaimedAt < DateTimeOffset.UtcNow.AddDays(-1));
    }

    [Fact]
    public async Task Migration_TurnsConfiguredAndLearnedPlatformIdsIntoIdentities()
    {
        await using var database = await TestDatabase.CreateAsync(provider, empty: true);
        await using var db = database.OpenContext();
        var migrator = await MigrateToJustBeforeAsync(db, "_PersonIdentities");
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO "People" ("Key", "Name", "TimeZone", "SlackUserId", "TeamsAadObjectId") VALUES ('sam', 'Sam', 'UTC', 'U0SAM', 'aad-sam');
            INSERT INTO "People" ("Key", "Name", "TimeZone", "SlackUserId") VALUES ('lee', 'Lee', 'UTC', 'U0LEE');
            INSERT INTO "People" ("Key", "Name", "TimeZone") VALUES ('ana', 'Ana', 'UTC');
            """);

        await migrator.MigrateAsync();

        var people = await db.People.AsNoTracking().OrderBy(p => p.Key).ToListAsync();
        Assert.Equal(["ana:", "lee:slack=U0LEE", "sam:slack=U0SAM,teams=aad-sam"],
            people.Select(p => p.Key + ":" + string.Join(",", p.Identities.OrderBy(i => i.Channel, StringComparer.Ordinal).Select(i => $"{i.Channel}={i.UserId}"))));
    }

    [Fact]
    public async Task TheStartUpHistoryCheck_ReadsWhatEfCoreReads()
    {
        await using var database = await TestDatabase.CreateAsync(provider, empty: true);
        await using var db = database.OpenContext();
        Assert.Empty(await DatabaseMigrations.AppliedMigrationsAsync(db, CancellationToken.None));

        var migrator = await MigrateToJustBeforeAsync(db, "_LivingCards");
        var partly = await db.Database.GetAppliedMigrationsAsync();
        Assert.NotEmpty(partly);
        Assert.Equal(partly, await DatabaseMigrations.AppliedMigrationsAsync(db, CancellationToken.None));

        Assert.Equal(MigrationOutcome.Migrated, await DatabaseMigrations.MigrateAsync(db, CancellationToken.None));
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(MigrationOutcome.UpToDate, await DatabaseMigrations.MigrateAsync(db, CancellationToken.None));
        Assert.Equal(db.Database.GetMigrations(), await DatabaseMigrations.AppliedMigrationsAsync(db, CancellationToken.None));
    }

    [Fact]
    public void TheFreshDatabaseScript_IsWhatTheMigratorWrites()
    {
        using Microsoft.EntityFrameworkCore.DbContext db = provider == TestProvider.Sqlite
            ? new SqliteDesignTimeFactory().CreateDbContext([])
            : new PostgresDesignTimeFactory().CreateDbContext([]);
        var expected = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.NoTransactions);
        var command = provider == TestProvider.Sqlite
            ? "dotnet ef migrations script --no-transactions --project src/Bot.Data --context SqliteBotDbContext -o src/Bot.Data/Migrations/Sqlite/FreshDatabase.sql"
            : "dotnet ef migrations script --no-transactions --project src/Bot.Data --context PostgresBotDbContext -o src/Bot.Data/Migrations/Postgres/FreshDatabase.sql";
        Assert.True(Normalized(expected) == Normalized(DatabaseMigrations.FreshDatabaseScript(provider == TestProvider.Sqlite)),
            $"The fresh-database script is not the migrations' script: run {command}");

        static string Normalized(string script) => script.TrimStart('\uFEFF').ReplaceLineEndings("\n").Trim();
    }

    [Fact]
    public async Task ANewDatabase_CreatedByTheScript_IsTheOneTheMigrationsBuild()
    {
        await using var scripted = await TestDatabase.CreateAsync(provider, empty: true);
        await using var migrated = await TestDatabase.CreateAsync(provider, empty: true);
        await using (var db = scripted.OpenContext())
        {
            Assert.Equal(MigrationOutcome.Created, await DatabaseMigrations.MigrateAsync(db, CancellationToken.None));
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            // Created twice (a second host starting at the same moment) is still created once.
            Assert.Equal(MigrationOutcome.UpToDate, await DatabaseMigrations.MigrateAsync(db, CancellationToken.None));
        }
        await using (var db = migrated.OpenContext()) await db.Database.MigrateAsync();

        var expected = await SchemaAsync(migrated);
        Assert.Equal(expected, await SchemaAsync(scripted));
        Assert.Contains(expected, line => line.Contains("IX_Reminders_DedupeKey", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostsCreatingOneNewDatabaseTogether_CreateItOnce()
    {
        await using var database = await TestDatabase.CreateAsync(provider, empty: true);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            await using var db = database.OpenContext();
            return await DatabaseMigrations.MigrateAsync(db, CancellationToken.None);
        }));
        Assert.Contains(MigrationOutcome.Created, outcomes);
        Assert.DoesNotContain(MigrationOutcome.Migrated, outcomes);
        await using var check = database.OpenContext();
        Assert.Equal(check.Database.GetMigrations(), await DatabaseMigrations.AppliedMigrationsAsync(check, CancellationToken.None));
    }

    /// <summary>Tables, columns, keys, indexes and constraints as the database describes them, and the migration history.</summary>
    private static async Task<List<string>> SchemaAsync(TestDatabase database)
    {
        await using var db = database.OpenContext();
        var sql = database.Provider == TestProvider.Sqlite
            ? """
              SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master
              WHERE name NOT IN ('sqlite_sequence', '__EFMigrationsLock')
              UNION ALL SELECT 'history ' || "MigrationId" || ' ' || "ProductVersion" FROM "__EFMigrationsHistory"
              """
            : """
              SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' ||
                     COALESCE(character_maximum_length::text, '') || ' ' || COALESCE(column_default, '') || ' ' || is_identity
                FROM information_schema.columns WHERE table_schema = current_schema()
              UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = current_schema()
              UNION ALL SELECT 'constraint ' || c.conrelid::regclass::text || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid)
                FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = current_schema()
              UNION ALL SELECT 'history ' || "MigrationId" || ' ' || "ProductVersion" FROM "__EFMigrationsHistory"
              """;
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var lines = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) lines.Add(reader.GetString(0).ReplaceLineEndings(" "));
        return lines.Order(StringComparer.Ordinal).ToList();
    }

    private static async Task<IMigrator> MigrateToJustBeforeAsync(Microsoft.EntityFrameworkCore.DbContext db, string migration)
    {
        var migrator = db.GetService<IMigrator>();
        var migrations = db.Database.GetMigrations().ToList();
        await migrator.MigrateAsync(migrations[migrations.FindIndex(m => m.EndsWith(migration, StringComparison.Ordinal)) - 1]);
        return migrator;
    }
}

public sealed class DataMigrationsOnSqlite() : DataMigrationTests(TestProvider.Sqlite);

public sealed class DataMigrationsOnPostgres() : DataMigrationTests(TestProvider.Postgres);
