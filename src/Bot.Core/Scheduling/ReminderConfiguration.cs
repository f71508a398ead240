using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bot.Core.Scheduling;

public static class ReminderTables
{
    extension(BotDbContext db)
    {
        public DbSet<Reminder> Reminders => db.Set<Reminder>();
    }
}

public sealed class ReminderConfiguration : IEntityTypeConfiguration<Reminder>
{
    public void Configure(EntityTypeBuilder<Reminder> e)
    {
        e.ToTable("Reminders");
        e.Property(r => r.Kind).HasMaxLength(64);
        e.Property(r => r.Argument).HasMaxLength(1000);
        e.Property(r => r.DedupeKey).HasMaxLength(200);
        e.Property(r => r.LastError).HasMaxLength(500);
        e.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        e.HasIndex(r => r.DedupeKey).IsUnique();
        e.HasIndex(r => new { r.Status, r.DueAt });
        e.HasIndex(r => new { r.Kind, r.SubjectId });
        e.HasOne(r => r.Event).WithMany().HasForeignKey(r => r.EventId).OnDelete(DeleteBehavior.Cascade);
    }
}
