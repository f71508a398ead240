using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Storage;

/// <summary>
/// A delivery already taken from a platform that retries (a Slack event id, an SNS message id). The first insert
/// wins; a retried delivery finds its row and is acknowledged without being handled again, also after a restart.
/// </summary>
public sealed class InboundDelivery
{
    public string Source { get; set; } = "";
    public string Key { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
}

public static class InboundDeliveryTables
{
    extension(BotDbContext db)
    {
        public DbSet<InboundDelivery> InboundDeliveries => db.Set<InboundDelivery>();
    }
}

public static class InboundDeliveries
{
    /// <summary>Platforms retry for minutes, not days: a week of memory is plenty.</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromDays(7);

    public static Task<int> ForgetOldDeliveriesAsync(this BotDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var before = now - Kept;
        return db.InboundDeliveries.Where(d => d.ReceivedAt < before).ExecuteDeleteAsync(ct);
    }

    /// <summary>True the first time (source, key) is seen; false for a retry of it.</summary>
    public static async Task<bool> TryClaimDeliveryAsync(this BotDbContext db, string source, string key, DateTimeOffset now, CancellationToken ct)
    {
        if (await db.InboundDeliveries.AnyAsync(d => d.Source == source && d.Key == key, ct)) return false;
        db.InboundDeliveries.Add(new InboundDelivery { Source = source, Key = key, ReceivedAt = now });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            // Two deliveries of the same id raced; the other one inserted first.
            db.ChangeTracker.Clear();
            return false;
        }
    }

    /// <summary>Gives a claim back, when the delivery turned out not to be handled (e.g. a form submission that was refused).</summary>
    public static Task<int> ReleaseDeliveryAsync(this BotDbContext db, string source, string key, CancellationToken ct) =>
        db.InboundDeliveries.Where(d => d.Source == source && d.Key == key).ExecuteDeleteAsync(ct);
}

public sealed class InboundDeliveryConfiguration : IEntityTypeConfiguration<InboundDelivery>
{
    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<InboundDelivery> e)
    {
        e.ToTable("InboundDeliveries");
        e.HasKey(x => new { x.Source, x.Key });
        e.Property(x => x.Source).HasMaxLength(32);
        e.Property(x => x.Key).HasMaxLength(200);
        e.HasIndex(x => x.ReceivedAt);
    }
}
