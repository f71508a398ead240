using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bot.Core.Features.Reviews;

public static class ReviewTables
{
    extension(BotDbContext db)
    {
        public DbSet<Review> Reviews => db.Set<Review>();
        public DbSet<ReviewContribution> ReviewContributions => db.Set<ReviewContribution>();
        public DbSet<ReviewTimelineEntry> ReviewTimeline => db.Set<ReviewTimelineEntry>();
        public DbSet<ActionItem> ActionItems => db.Set<ActionItem>();
    }
}

public sealed class ReviewConfiguration : IEntityTypeConfiguration<Review>
{
    public void Configure(EntityTypeBuilder<Review> e)
    {
        e.ToTable("Reviews");
        e.Property(x => x.TeamKey).HasMaxLength(64);
        e.Property(x => x.Title).HasMaxLength(300);
        e.Property(x => x.OwnerKey).HasMaxLength(200);
        e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.TemplateName).HasMaxLength(64);
        e.Property(x => x.StartedBy).HasMaxLength(200);
        e.Property(x => x.CompletedBy).HasMaxLength(200);
        e.Property(x => x.Sections).HasJsonConversion();
        e.Ignore(x => x.MissingRequired);
        e.Ignore(x => x.Participants);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasMany(x => x.Contributions).WithOne().HasForeignKey(c => c.ReviewId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(x => x.Timeline).WithOne().HasForeignKey(c => c.ReviewId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(x => x.ActionItems).WithOne().HasForeignKey(c => c.ReviewId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => x.IncidentId).IsUnique();
        e.HasIndex(x => x.EscalationId).IsUnique();
        e.HasIndex(x => new { x.TeamKey, x.Status });
        // The digest reads a team's reviews due or completed in a week.
        e.HasIndex(x => new { x.TeamKey, x.DueAt });
        e.HasIndex(x => new { x.TeamKey, x.CompletedAt });
        e.HasIndex(x => new { x.OwnerKey, x.Status });
    }
}

public sealed class ReviewContributionConfiguration : IEntityTypeConfiguration<ReviewContribution>
{
    public void Configure(EntityTypeBuilder<ReviewContribution> e)
    {
        e.ToTable("ReviewContributions");
        e.Property(x => x.Section).HasMaxLength(64);
        e.Property(x => x.By).HasMaxLength(200);
        e.Property(x => x.ByName).HasMaxLength(200);
        e.Property(x => x.Text).HasMaxLength(ReviewForms.TextMax);
        e.Property(x => x.Tags).HasJsonConversion();
        e.Property(x => x.Notes).HasJsonConversion();
        e.HasIndex(x => new { x.ReviewId, x.Section, x.By }).IsUnique();
    }
}

public sealed class ReviewTimelineEntryConfiguration : IEntityTypeConfiguration<ReviewTimelineEntry>
{
    public void Configure(EntityTypeBuilder<ReviewTimelineEntry> e)
    {
        e.ToTable("ReviewTimeline");
        e.Property(x => x.Text).HasMaxLength(4000);
        e.Property(x => x.Source).HasMaxLength(64);
        e.Property(x => x.SourceId).HasMaxLength(200);
        e.HasIndex(x => new { x.ReviewId, x.Source, x.SourceId });
        e.Property(x => x.AddedBy).HasMaxLength(200);
        e.Property(x => x.AddedByName).HasMaxLength(200);
    }
}

public sealed class ActionItemConfiguration : IEntityTypeConfiguration<ActionItem>
{
    public void Configure(EntityTypeBuilder<ActionItem> e)
    {
        e.ToTable("ActionItems");
        e.Property(x => x.Title).HasMaxLength(300);
        e.Property(x => x.OwnerKey).HasMaxLength(200);
        e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.Note).HasMaxLength(1000);
        e.Property(x => x.CreatedBy).HasMaxLength(200);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasIndex(x => new { x.OwnerKey, x.Status });
    }
}
