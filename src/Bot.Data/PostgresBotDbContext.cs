using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Bot.Data;

public sealed class PostgresBotDbContext(DbContextOptions<PostgresBotDbContext> options) : BotDbContext(options)
{
    /// <summary>A transaction holding a transaction-level advisory lock on <paramref name="section"/>, released when it ends.</summary>
    public override async Task<IDbContextTransaction> BeginExclusiveAsync(long section, CancellationToken ct)
    {
        var transaction = await Database.BeginTransactionAsync(ct);
        try
        {
            await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({section})", ct);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }
}
