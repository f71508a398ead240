using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bot.Core.Directory;

public static class DirectoryTables
{
    extension(BotDbContext db)
    {
        public DbSet<Person> People => db.Set<Person>();
        public DbSet<Team> Teams => db.Set<Team>();
        public DbSet<Service> Services => db.Set<Service>();
        public DbSet<DirectoryVersion> DirectoryVersions => db.Set<DirectoryVersion>();
    }
}

public static class PersonNames
{
    /// <summary>Every person's name by key, as stored now (what a message names people by).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ByKeyAsync(BotDbContext db, CancellationToken ct) =>
        await db.People.AsNoTracking().Select(p => new { p.Key, p.Name }).ToDictionaryAsync(p => p.Key, p => p.Name, StringComparer.Ordinal, ct);
}

public sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> e)
    {
        e.ToTable("People");
        e.HasKey(p => p.Key);
        e.Property(p => p.Key).HasMaxLength(64);
        e.Property(p => p.Name).HasMaxLength(200);
        e.Property(p => p.Email).HasMaxLength(320);
        e.Property(p => p.TimeZone).HasMaxLength(64);
        e.HasIndex(p => p.Email);
        // Configured by its owner: a person's identities live and go with the person.
        e.OwnsMany(p => p.Identities, i =>
        {
            i.ToTable("PersonIdentities");
            i.WithOwner().HasForeignKey("PersonKey");
            i.Property<long>("Id");
            i.HasKey("Id");
            i.Property(x => x.Channel).HasMaxLength(32);
            i.Property(x => x.UserId).HasMaxLength(100);
            i.HasIndex(x => new { x.Channel, x.UserId }).IsUnique();
            i.HasIndex("PersonKey", nameof(PersonIdentity.Channel)).IsUnique();
        });
    }
}

public sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> e)
    {
        e.ToTable("Teams");
        e.HasKey(t => t.Key);
        e.Property(t => t.Key).HasMaxLength(64);
        e.Property(t => t.Name).HasMaxLength(200);
        e.Property(t => t.TimeZone).HasMaxLength(64);
        e.Property(t => t.Members).HasJsonConversion();
        e.Property(t => t.Managers).HasJsonConversion();
        e.Property(t => t.Channels).HasJsonConversion();
        e.Property(t => t.OnCall).HasJsonConversion();
    }
}

public sealed class ServiceConfiguration : IEntityTypeConfiguration<Service>
{
    public void Configure(EntityTypeBuilder<Service> e)
    {
        e.ToTable("Services");
        e.HasKey(s => s.Key);
        e.Property(s => s.Key).HasMaxLength(64);
        e.Property(s => s.Name).HasMaxLength(200);
        e.Property(s => s.TeamKey).HasMaxLength(64);
        e.HasIndex(s => s.TeamKey);
    }
}
