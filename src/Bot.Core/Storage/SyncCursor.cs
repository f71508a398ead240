using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bot.Core.Storage;

/// <summary>A named position in an external stream (e.g. the reconciliation's "changed since"), kept across restarts.</summary>
public sealed class SyncCursor
{
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
}

public static class SyncCursorTables
{
    extension(BotDbContext db)
    {
        public DbSet<SyncCursor> SyncCursors => db.Set<SyncCursor>();
    }
}

public sealed class SyncCursorConfiguration : IEntityTypeConfiguration<SyncCursor>
{
    public void Configure(EntityTypeBuilder<SyncCursor> e)
    {
        e.ToTable("SyncCursors");
        e.HasKey(x => x.Name);
        e.Property(x => x.Name).HasMaxLength(64);
        e.Property(x => x.Value).HasMaxLength(500);
    }
}
