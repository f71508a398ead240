using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bot.Core.Features.Escalation;

public static class EscalationTables
{
    extension(BotDbContext db)
    {
        public DbSet<Escalation> Escalations => db.Set<Escalation>();
        public DbSet<EscalationEvent> EscalationEvents => db.Set<EscalationEvent>();
    }
}

public sealed class EscalationConfiguration : IEntityTypeConfiguration<Escalation>
{
    public void Configure(EntityTypeBuilder<Escalation> e)
    {
        e.ToTable("Escalations");
        e.Property(x => x.Summary).HasMaxLength(3000);
        e.Property(x => x.Tried).HasMaxLength(3000);
        e.Property(x => x.SourceUrl).HasMaxLength(EscalationForms.SourceUrlMax);
        e.Property(x => x.SourceThread).HasMaxLength(EscalationForms.SourceThreadMax);
        e.Property(x => x.Outcome).HasMaxLength(3000);
        e.Property(x => x.ServiceKey).HasMaxLength(64);
        e.Property(x => x.TeamKey).HasMaxLength(64);
        e.Property(x => x.Channel).HasMaxLength(32);
        e.Property(x => x.Impact).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.Urgency).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.OutcomeKind).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.Property(x => x.Responders).HasJsonConversion();
        e.HasMany(x => x.Timeline).WithOne().HasForeignKey(t => t.EscalationId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => new { x.TeamKey, x.Status });
        // The digest reads a team's escalations by week.
        e.HasIndex(x => new { x.TeamKey, x.RaisedAt });
    }
}

public sealed class EscalationEventConfiguration : IEntityTypeConfiguration<EscalationEvent>
{
    public void Configure(EntityTypeBuilder<EscalationEvent> e)
    {
        e.ToTable("EscalationEvents");
        e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.Actor).HasMaxLength(200);
        e.Property(x => x.Text).HasMaxLength(4000);
    }
}
