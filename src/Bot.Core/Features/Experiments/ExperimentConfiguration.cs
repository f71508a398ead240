using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bot.Core.Features.Experiments;

public static class ExperimentTables
{
    extension(BotDbContext db)
    {
        public DbSet<Experiment> Experiments => db.Set<Experiment>();
        public DbSet<ExperimentParticipant> ExperimentParticipants => db.Set<ExperimentParticipant>();
        public DbSet<ExperimentConcern> ExperimentConcerns => db.Set<ExperimentConcern>();
        public DbSet<ExperimentTransition> ExperimentTransitions => db.Set<ExperimentTransition>();
    }
}

public sealed class ExperimentConfiguration : IEntityTypeConfiguration<Experiment>
{
    public void Configure(EntityTypeBuilder<Experiment> e)
    {
        e.ToTable("Experiments");
        e.Property(x => x.TeamKey).HasMaxLength(64);
        e.Property(x => x.Title).HasMaxLength(ExperimentForms.TitleMax);
        e.Property(x => x.Hypothesis).HasMaxLength(ExperimentForms.TextMax);
        e.Property(x => x.Metric).HasMaxLength(ExperimentForms.LineMax);
        e.Property(x => x.Threshold).HasMaxLength(ExperimentForms.LineMax);
        e.Property(x => x.Rollback).HasMaxLength(ExperimentForms.TextMax);
        e.Property(x => x.Link).HasMaxLength(ExperimentForms.LinkMax);
        e.Property(x => x.SponsorKey).HasMaxLength(200);
        e.Property(x => x.From).HasMaxLength(64);
        e.Property(x => x.ProposerKey).HasMaxLength(200);
        e.Property(x => x.ProposerName).HasMaxLength(200);
        e.Property(x => x.DecidedBy).HasMaxLength(200);
        e.Property(x => x.ChangesNote).HasMaxLength(ExperimentForms.LineMax);
        e.Property(x => x.Result).HasMaxLength(ExperimentForms.TextMax);
        e.Property(x => x.Learning).HasMaxLength(ExperimentForms.TextMax);
        e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.Radius).HasConversion<string>().HasMaxLength(24);
        e.Property(x => x.Status).HasConversion<string>().HasMaxLength(24);
        e.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.Ignore(x => x.NeedsApproval);
        e.Ignore(x => x.IsOpen);
        e.HasMany(x => x.Transitions).WithOne().HasForeignKey(t => t.ExperimentId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(x => x.Participants).WithOne().HasForeignKey(t => t.ExperimentId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(x => x.Concerns).WithOne().HasForeignKey(t => t.ExperimentId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => new { x.TeamKey, x.Status });
        // The digest counts a team's experiments proposed and concluded in a week.
        e.HasIndex(x => new { x.TeamKey, x.ProposedAt });
        e.HasIndex(x => new { x.TeamKey, x.ConcludedAt });
    }
}

public sealed class ExperimentTransitionConfiguration : IEntityTypeConfiguration<ExperimentTransition>
{
    public void Configure(EntityTypeBuilder<ExperimentTransition> e)
    {
        e.ToTable("ExperimentTransitions");
        e.HasIndex(x => new { x.To, x.At });
        e.Property(x => x.From).HasConversion<string>().HasMaxLength(24);
        e.Property(x => x.To).HasConversion<string>().HasMaxLength(24);
        e.Property(x => x.By).HasMaxLength(200);
        e.Property(x => x.Note).HasMaxLength(ExperimentForms.LineMax);
    }
}

public sealed class ExperimentParticipantConfiguration : IEntityTypeConfiguration<ExperimentParticipant>
{
    public void Configure(EntityTypeBuilder<ExperimentParticipant> e)
    {
        e.ToTable("ExperimentParticipants");
        e.Property(x => x.PersonKey).HasMaxLength(200);
        e.Property(x => x.Role).HasConversion<string>().HasMaxLength(16);
        e.HasIndex(x => new { x.ExperimentId, x.PersonKey, x.Role }).IsUnique();
    }
}

public sealed class ExperimentConcernConfiguration : IEntityTypeConfiguration<ExperimentConcern>
{
    public void Configure(EntityTypeBuilder<ExperimentConcern> e)
    {
        e.ToTable("ExperimentConcerns");
        e.Property(x => x.ByKey).HasMaxLength(200);
        e.Property(x => x.ByName).HasMaxLength(200);
        e.Property(x => x.Text).HasMaxLength(ExperimentForms.TextMax);
    }
}
