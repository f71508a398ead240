using System.Text.Json;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Flows.Escalation;
using Bot.Core.Incidents;
using Bot.Core.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bot.Core.Storage;

/// <summary>
/// The bot's state, provider-neutral. Bot.Data derives one context per provider (SQLite, PostgreSQL),
/// each with its own migrations, so this model is the single definition both follow.
/// </summary>
public abstract class BotDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Person> People => Set<Person>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<Service> Services => Set<Service>();
    public DbSet<Reminder> Reminders => Set<Reminder>();
    public DbSet<Escalation> Escalations => Set<Escalation>();
    public DbSet<EscalationEvent> EscalationEvents => Set<EscalationEvent>();
    public DbSet<ConversationEntry> ConversationEntries => Set<ConversationEntry>();
    public DbSet<InboundDelivery> InboundDeliveries => Set<InboundDelivery>();
    public DbSet<StoredConversation> StoredConversations => Set<StoredConversation>();
    public DbSet<StoredUser> StoredUsers => Set<StoredUser>();
    public DbSet<Incident> Incidents => Set<Incident>();
    public DbSet<IncidentEvent> IncidentEvents => Set<IncidentEvent>();
    public DbSet<Deployment> Deployments => Set<Deployment>();

    public DbSet<IncidentPost> IncidentPosts => Set<IncidentPost>();

    public DbSet<SyncCursor> SyncCursors => Set<SyncCursor>();

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        BumpVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        BumpVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    private void BumpVersions()
    {
        foreach (var entry in ChangeTracker.Entries<IVersioned>().Where(e => e.State == EntityState.Modified))
        {
            entry.Entity.Version++;
        }
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Person>(e =>
        {
            e.HasKey(p => p.Key);
            e.Property(p => p.Key).HasMaxLength(64);
            e.Property(p => p.Name).HasMaxLength(200);
            e.Property(p => p.Email).HasMaxLength(320);
            e.Property(p => p.TimeZone).HasMaxLength(64);
            e.Property(p => p.SlackUserId).HasMaxLength(32);
            e.Property(p => p.TeamsAadObjectId).HasMaxLength(64);
            e.HasIndex(p => p.SlackUserId);
            e.HasIndex(p => p.TeamsAadObjectId);
            e.HasIndex(p => p.Email);
        });

        model.Entity<Team>(e =>
        {
            e.HasKey(t => t.Key);
            e.Property(t => t.Key).HasMaxLength(64);
            e.Property(t => t.Name).HasMaxLength(200);
            e.Property(t => t.TimeZone).HasMaxLength(64);
            Json(e.Property(t => t.Members));
            Json(e.Property(t => t.Managers));
            Json(e.Property(t => t.Channels));
            Json(e.Property(t => t.OnCall));
            Json(e.Property(t => t.EscalationPath));
            Json(e.Property(t => t.AckTimeouts));
            e.Property(t => t.ResponsePlanArn).HasMaxLength(300);
        });

        model.Entity<Service>(e =>
        {
            e.HasKey(s => s.Key);
            e.Property(s => s.Key).HasMaxLength(64);
            e.Property(s => s.Name).HasMaxLength(200);
            e.Property(s => s.TeamKey).HasMaxLength(64);
            e.HasIndex(s => s.TeamKey);
        });

        model.Entity<Reminder>(e =>
        {
            e.Property(r => r.Kind).HasMaxLength(64);
            e.Property(r => r.Argument).HasMaxLength(200);
            e.Property(r => r.DedupeKey).HasMaxLength(200);
            e.Property(r => r.LastError).HasMaxLength(500);
            e.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(r => r.DedupeKey).IsUnique();
            e.HasIndex(r => new { r.Status, r.DueAt });
            e.HasIndex(r => new { r.Kind, r.SubjectId });
        });

        model.Entity<Escalation>(e =>
        {
            e.Property(x => x.Summary).HasMaxLength(3000);
            e.Property(x => x.Tried).HasMaxLength(3000);
            e.Property(x => x.Outcome).HasMaxLength(3000);
            e.Property(x => x.ServiceKey).HasMaxLength(64);
            e.Property(x => x.TeamKey).HasMaxLength(64);
            e.Property(x => x.Channel).HasMaxLength(32);
            e.Property(x => x.Impact).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Urgency).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            e.Ignore(x => x.Announcement);
            e.Property(x => x.Version).IsConcurrencyToken();
            Json(e.Property(x => x.Responders));
            e.HasMany(x => x.Timeline).WithOne().HasForeignKey(t => t.EscalationId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.TeamKey, x.Status });
        });

        model.Entity<EscalationEvent>(e =>
        {
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Actor).HasMaxLength(200);
            e.Property(x => x.Text).HasMaxLength(4000);
        });

        model.Entity<InboundDelivery>(e =>
        {
            e.HasKey(x => new { x.Source, x.Key });
            e.Property(x => x.Source).HasMaxLength(32);
            e.Property(x => x.Key).HasMaxLength(200);
            e.HasIndex(x => x.ReceivedAt);
        });

        model.Entity<Incident>(e =>
        {
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
            Json(e.Property(x => x.Links));
            e.HasMany(x => x.Timeline).WithOne().HasForeignKey(t => t.IncidentId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.Source, x.ExternalId }).IsUnique();
            e.HasIndex(x => new { x.TeamKey, x.Status });
        });

        model.Entity<IncidentEvent>(e =>
        {
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(24);
            e.Property(x => x.Actor).HasMaxLength(200);
            e.Property(x => x.Text).HasMaxLength(4000);
        });

        model.Entity<IncidentPost>(e =>
        {
            e.HasKey(x => new { x.IncidentId, x.Channel, x.Purpose });
            e.Property(x => x.Channel).HasMaxLength(32);
            e.Property(x => x.Purpose).HasMaxLength(16);
            e.Property(x => x.ConversationId).HasMaxLength(300);
            e.Property(x => x.MessageId).HasMaxLength(300);
            e.HasOne<Incident>().WithMany().HasForeignKey(x => x.IncidentId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<SyncCursor>(e =>
        {
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasMaxLength(64);
            e.Property(x => x.Value).HasMaxLength(500);
        });

        model.Entity<Deployment>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(200);
            e.Property(x => x.Service).HasMaxLength(64);
            e.Property(x => x.ServiceKey).HasMaxLength(64);
            e.Property(x => x.Version).HasMaxLength(200);
            e.Property(x => x.Outcome).HasMaxLength(16);
            e.HasIndex(x => new { x.ServiceKey, x.DeployedAt });
        });

        model.Entity<StoredConversation>(e =>
        {
            e.HasKey(x => new { x.Channel, x.ConversationId });
            e.Property(x => x.Channel).HasMaxLength(32);
            e.Property(x => x.ConversationId).HasMaxLength(300);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.ServiceUrl).HasMaxLength(500);
            e.Property(x => x.TenantId).HasMaxLength(64);
            e.Property(x => x.TeamId).HasMaxLength(300);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Unavailable).HasMaxLength(200);
            e.HasIndex(x => new { x.Channel, x.UpdatedAt });
        });

        model.Entity<StoredUser>(e =>
        {
            e.HasKey(x => new { x.Channel, x.UserId });
            e.Property(x => x.Channel).HasMaxLength(32);
            e.Property(x => x.UserId).HasMaxLength(100);
            e.Property(x => x.PlatformId).HasMaxLength(200);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.ServiceUrl).HasMaxLength(500);
            e.Property(x => x.TenantId).HasMaxLength(64);
            e.Property(x => x.DirectConversationId).HasMaxLength(300);
        });

        model.Entity<ConversationEntry>(e =>
        {
            e.Property(x => x.Channel).HasMaxLength(32);
            e.Property(x => x.ConversationId).HasMaxLength(200);
            e.Property(x => x.AuthorKey).HasMaxLength(64);
            e.Property(x => x.VisibleTo).HasMaxLength(64);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.FormState).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.HasIndex(x => new { x.Channel, x.ConversationId, x.Id });
        });
    }

    /// <summary>How JSON columns are written; public because the compiled models in Bot.Data refer to it.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>Typed values (rotation, path, lists) stored as one JSON text column, the same way on every provider.</summary>
    private static void Json<T>(PropertyBuilder<T> property) where T : class, new()
    {
        property.HasConversion(
            v => JsonSerializer.Serialize(v, JsonOptions),
            s => JsonSerializer.Deserialize<T>(s, JsonOptions) ?? new T(),
            new ValueComparer<T>(
                (a, b) => JsonSerializer.Serialize(a, JsonOptions) == JsonSerializer.Serialize(b, JsonOptions),
                v => JsonSerializer.Serialize(v, JsonOptions).GetHashCode(StringComparison.Ordinal),
                v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, JsonOptions), JsonOptions)!));
    }
}
