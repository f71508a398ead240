using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Storage;

/// <summary>
/// A key of the host's data protection key ring (its XML, as ASP.NET Core writes it), kept in the database so every
/// host of an installation shares one ring: a dashboard form one replica rendered is accepted by another, and keys
/// survive restarts and read-only filesystems.
/// </summary>
public sealed class ProtectionKey
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string Xml { get; set; } = "";
}

public static class ProtectionKeyTables
{
    extension(BotDbContext db)
    {
        public DbSet<ProtectionKey> ProtectionKeys => db.Set<ProtectionKey>();
    }
}

public sealed class ProtectionKeyConfiguration : IEntityTypeConfiguration<ProtectionKey>
{
    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<ProtectionKey> e)
    {
        e.ToTable("ProtectionKeys");
        e.HasKey(x => x.Id);
        e.Property(x => x.Name).HasMaxLength(200);
    }
}
