using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Bot.Data;

/// <summary>
/// Per-connection SQLite settings. With WAL, <c>synchronous=NORMAL</c> is the documented safe pairing: the database
/// cannot be corrupted, a commit no longer waits for an fsync, and only the last commits before a power cut (not a
/// process crash) may be lost. A busy timeout lets writers queue briefly instead of failing.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
