using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Bot.Testing;

public enum TestProvider { Sqlite, Postgres }

/// <summary>
/// A fresh, real database for one test host: a SQLite file in a temp folder, or a new PostgreSQL database on the
/// server named by <c>BOT_TEST_POSTGRES</c> (default: the loopback server <c>.ci/run</c> starts). Dropped on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "BOT_TEST_POSTGRES";
    public const string DefaultPostgres = "Host=127.0.0.1;Port=5432;Username=bot;Password=bot;Database=postgres";

    private readonly string? _folder;
    private readonly string? _postgresName;

    private TestDatabase(TestProvider provider, string connectionString, string? folder, string? postgresName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _folder = folder;
        _postgresName = postgresName;
    }

    public TestProvider Provider { get; }
    public string ConnectionString { get; }

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = Provider.ToString(),
        ["ConnectionStrings:Bot"] = ConnectionString,
    };

    /// <param name="empty">No schema at all, as on a first start (migrating it is then the host's job); else every migration is applied.</param>
    public static async Task<TestDatabase> CreateAsync(TestProvider provider, bool empty = false)
    {
        if (provider == TestProvider.Sqlite)
        {
            var folder = NewSqliteFolder();
            if (!empty) File.Copy(await SqliteTemplate.Value, Path.Combine(folder, "bot.db"));
            return new TestDatabase(provider, SqliteConnectionString(folder), folder, null);
        }

        var admin = AdminConnectionString;
        var name = "bot_test_" + Guid.NewGuid().ToString("N")[..16];
        try
        {
            var template = empty ? "template1" : await PostgresTemplate.Value;
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is needed for these tests and was not reachable ({ex.Message}). Start it on 127.0.0.1 as .ci/run does, " +
                $"or point {PostgresVariable} at a server where the user may create databases.", ex);
        }
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(provider, builder.ConnectionString, null, name);
    }

    private static string NewSqliteFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "bot-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string SqliteConnectionString(string folder) => $"Data Source={Path.Combine(folder, "bot.db")}";

    // A test starts from a database with every migration applied, copied from one migrated once per test process: the
    // host then finds nothing pending, as on every start but the first. The first start, migrating an empty database,
    // is what the crash tests, the migration tests and the start-up benchmark ask for (empty: true).
    private static readonly Lazy<Task<string>> SqliteTemplate = new(async () =>
    {
        var folder = NewSqliteFolder();
        await using (var db = new Bot.Data.SqliteBotDbContext(new DbContextOptionsBuilder<Bot.Data.SqliteBotDbContext>()
                         .UseSqlite(SqliteConnectionString(folder)).Options))
        {
            await Bot.Data.DatabaseMigrations.MigrateAsync(db, CancellationToken.None);
        }
        SqliteConnection.ClearAllPools();
        return Path.Combine(folder, "bot.db");
    });

    private static readonly Lazy<Task<string>> PostgresTemplate = new(async () =>
    {
        var name = "bot_template_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = false };
        await using (var db = new Bot.Data.PostgresBotDbContext(new DbContextOptionsBuilder<Bot.Data.PostgresBotDbContext>()
                         .UseNpgsql(builder.ConnectionString).Options))
        {
            await Bot.Data.DatabaseMigrations.MigrateAsync(db, CancellationToken.None);
        }
        // A template is copied only while nobody is connected to it; it is dropped when the test process ends.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DropQuietly(name);
        return name;
    });

    private static void DropQuietly(string name)
    {
        try
        {
            using var connection = new NpgsqlConnection(AdminConnectionString);
            connection.Open();
            using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            drop.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
            // A leftover template on a test server is harmless; the next run makes its own.
        }
    }

    /// <summary>A context on this database from outside any host, e.g. to look at what a host process stored.</summary>
    public Bot.Core.Storage.BotDbContext OpenContext() => Provider == TestProvider.Sqlite
        ? new Bot.Data.SqliteBotDbContext(new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<Bot.Data.SqliteBotDbContext>()
            .UseSqlite(ConnectionString).Options)
        : new Bot.Data.PostgresBotDbContext(new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<Bot.Data.PostgresBotDbContext>()
            .UseNpgsql(ConnectionString).Options);

    private static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } configured ? configured : DefaultPostgres;

    public async ValueTask DisposeAsync()
    {
        if (_folder is not null)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A host that is still stopping may hold a file; the temp folder is cleaned by the OS.
            }
        }
        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(AdminConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresName}\" WITH (FORCE)", connection);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await drop.ExecuteNonQueryAsync();
                    return;
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 10)
                {
                    // An autovacuum worker (owned by the server, not the test role) is busy in the database: FORCE may
                    // not end it, so wait for it to finish.
                    await Task.Delay(200);
                }
            }
        }
    }
}
