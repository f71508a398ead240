using Bot.Core.Cards;
using Bot.Core.Directory;
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
        Assert.Empty(await Bot.Data.BotDataRegistration.AppliedMigrationsAsync(db, CancellationToken.None));

        var migrator = await MigrateToJustBeforeAsync(db, "_LivingCards");
        var partly = await db.Database.GetAppliedMigrationsAsync();
        Assert.NotEmpty(partly);
        Assert.Equal(partly, await Bot.Data.BotDataRegistration.AppliedMigrationsAsync(db, CancellationToken.None));

        await Bot.Data.BotDataRegistration.MigrateAsync(db, CancellationToken.None);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await Bot.Data.BotDataRegistration.AppliedMigrationsAsync(db, CancellationToken.None));
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
