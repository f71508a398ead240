using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bot.Core.Events;

/// <summary>
/// Something a feature announces to the others (<c>IncidentResolved</c>, <c>EscalationResolved</c>, …): a record
/// with the id of what it is about. Events are facts: named in the past tense, never changed once published.
/// </summary>
public interface IFeatureEvent
{
    long SubjectId { get; }
}

/// <summary>
/// A published event, stored in the same save as the change it announces. Each subscriber gets it through its own
/// delivery reminder (see <see cref="EventSubscriptions"/>), so delivery is at least once and survives restarts.
/// </summary>
public sealed class FeatureEvent
{
    public long Id { get; set; }

    /// <summary>The event record's type name, e.g. "IncidentResolved".</summary>
    public string Type { get; set; } = "";
    public long SubjectId { get; set; }
    public string Payload { get; set; } = "";
    public DateTimeOffset OccurredAt { get; set; }
}

public static class FeatureEventTables
{
    extension(BotDbContext db)
    {
        public DbSet<FeatureEvent> FeatureEvents => db.Set<FeatureEvent>();
    }
}

public sealed class FeatureEventConfiguration : IEntityTypeConfiguration<FeatureEvent>
{
    public void Configure(EntityTypeBuilder<FeatureEvent> e)
    {
        e.ToTable("FeatureEvents");
        e.Property(x => x.Type).HasMaxLength(64);
        e.HasIndex(x => new { x.Type, x.SubjectId });
    }
}
