using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bot.Core.Features.Incidents;

public static class IncidentTables
{
    extension(BotDbContext db)
    {
        public DbSet<Incident> Incidents => db.Set<Incident>();
        public DbSet<IncidentEvent> IncidentEvents => db.Set<IncidentEvent>();
        public DbSet<Deployment> Deployments => db.Set<Deployment>();
        public DbSet<IncidentGroup> IncidentGroups => db.Set<IncidentGroup>();
    }
}

public sealed class IncidentConfiguration : IEntityTypeConfiguration<Incident>
{
    public void Configure(EntityTypeBuilder<Incident> e)
    {
        e.ToTable("Incidents");
        e.Property(x => x.Source).HasMaxLength(32);
        e.Property(x => x.ExternalId).HasMaxLength(300);
        e.Property(x => x.Title).HasMaxLength(200);
        e.Property(x => x.ServiceKey).HasMaxLength(64);
        e.Property(x => x.TeamKey).HasMaxLength(64);
        e.Property(x => x.Url).HasMaxLength(1000);
        e.Property(x => x.DeploymentId).HasMaxLength(200);
        e.Property(x => x.AcknowledgedBy).HasMaxLength(200);
        e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.Property(x => x.Links).HasJsonConversion();
        e.HasMany(x => x.Timeline).WithOne().HasForeignKey(t => t.IncidentId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => new { x.Source, x.ExternalId }).IsUnique();
        e.HasIndex(x => new { x.TeamKey, x.Status });
        // The digest reads a team's incidents by week, and counts deployments an incident points at.
        e.HasIndex(x => new { x.TeamKey, x.OpenedAt });
        e.HasIndex(x => x.DeploymentId);
        e.HasIndex(x => x.GroupedIntoId);
    }
}

public sealed class IncidentEventConfiguration : IEntityTypeConfiguration<IncidentEvent>
{
    public void Configure(EntityTypeBuilder<IncidentEvent> e)
    {
        e.ToTable("IncidentEvents");
        e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(24);
        e.Property(x => x.Actor).HasMaxLength(200);
        e.Property(x => x.Text).HasMaxLength(4000);
    }
}

public sealed class DeploymentConfiguration : IEntityTypeConfiguration<Deployment>
{
    public void Configure(EntityTypeBuilder<Deployment> e)
    {
        e.ToTable("Deployments");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasMaxLength(200);
        e.Property(x => x.Service).HasMaxLength(64);
        e.Property(x => x.ServiceKey).HasMaxLength(64);
        e.Property(x => x.Version).HasMaxLength(200);
        e.Property(x => x.Outcome).HasMaxLength(16);
        e.HasIndex(x => new { x.ServiceKey, x.DeployedAt });
    }
}
