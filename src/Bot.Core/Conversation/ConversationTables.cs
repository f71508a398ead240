using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bot.Core.Conversation;

public static class ConversationTables
{
    extension(BotDbContext db)
    {
        public DbSet<ConversationEntry> ConversationEntries => db.Set<ConversationEntry>();
        public DbSet<StoredConversation> StoredConversations => db.Set<StoredConversation>();
        public DbSet<StoredUser> StoredUsers => db.Set<StoredUser>();
    }
}

public sealed class StoredConversationConfiguration : IEntityTypeConfiguration<StoredConversation>
{
    public void Configure(EntityTypeBuilder<StoredConversation> e)
    {
        e.ToTable("StoredConversations");
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
    }
}

public sealed class StoredUserConfiguration : IEntityTypeConfiguration<StoredUser>
{
    public void Configure(EntityTypeBuilder<StoredUser> e)
    {
        e.ToTable("StoredUsers");
        e.HasKey(x => new { x.Channel, x.UserId });
        e.Property(x => x.Channel).HasMaxLength(32);
        e.Property(x => x.UserId).HasMaxLength(100);
        e.Property(x => x.PlatformId).HasMaxLength(200);
        e.Property(x => x.Name).HasMaxLength(200);
        e.Property(x => x.ServiceUrl).HasMaxLength(500);
        e.Property(x => x.TenantId).HasMaxLength(64);
        e.Property(x => x.DirectConversationId).HasMaxLength(300);
    }
}

public sealed class ConversationEntryConfiguration : IEntityTypeConfiguration<ConversationEntry>
{
    public void Configure(EntityTypeBuilder<ConversationEntry> e)
    {
        e.ToTable("ConversationEntries");
        e.Property(x => x.Channel).HasMaxLength(32);
        e.Property(x => x.ConversationId).HasMaxLength(200);
        e.Property(x => x.AuthorKey).HasMaxLength(64);
        e.Property(x => x.VisibleTo).HasMaxLength(64);
        e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.FormState).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.Revision).IsConcurrencyToken();
        e.HasIndex(x => new { x.Channel, x.ConversationId, x.Id });
    }
}
