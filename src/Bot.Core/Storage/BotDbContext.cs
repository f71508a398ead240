using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Storage;

/// <summary>
/// The bot's state, provider-neutral. Bot.Data derives one context per provider (SQLite, PostgreSQL),
/// each with its own migrations, so this model is the single definition both follow.
/// </summary>
public abstract class BotDbContext(DbContextOptions options) : DbContext(options)
{
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        BumpVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        BumpVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    private void BumpVersions()
    {
        foreach (var entry in ChangeTracker.Entries<IVersioned>().Where(e => e.State == EntityState.Modified))
        {
            entry.Entity.Version++;
        }
    }

    /// <summary>
    /// Begins a transaction that one connection at a time holds for <paramref name="section"/>: hosts that start
    /// together create a new database and seed the directory one after the other, each deciding on what the one before
    /// stored. SQLite's write transactions begin IMMEDIATE (one writer at a time), which is that already; PostgreSQL
    /// takes an advisory lock.
    /// </summary>
    public virtual Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginExclusiveAsync(long section, CancellationToken ct) =>
        Database.BeginTransactionAsync(ct);

    /// <summary>Every entity is configured beside its type, in its feature's folder; none is listed here.</summary>
    protected override void OnModelCreating(ModelBuilder model) => model.ApplyConfigurationsFromAssembly(typeof(BotDbContext).Assembly);

    /// <summary>How JSON columns are written; public because the compiled models in Bot.Data refer to it.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
