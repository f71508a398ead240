using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bot.Core.Cards;

/// <summary>What a living card is about: a feature's subject kind ("incident", "escalation") and its id.</summary>
public readonly record struct CardSubject(string Kind, long Id);

/// <summary>Where a living card goes: a channel kind and a conversation in it, or a direct message to <paramref name="To"/>.</summary>
public sealed record CardTarget(string Channel, string ConversationId, Directory.Person? To = null)
{
    public static CardTarget Direct(string channel, Directory.Person person) => new(channel, "", person);
}

/// <summary>A card rendered from the stored state, with the subject's version it shows (to notice a newer state).</summary>
public sealed record RenderedCard(Conversation.Message Message, int Version)
{
    /// <summary>A card that never changes (a prompt): rendered once, never newer.</summary>
    public static CardRenderer Fixed(Conversation.Message message) =>
        (unlessVersion, _) => Task.FromResult(unlessVersion is null ? new RenderedCard(message, 0) : null);
}

/// <summary>
/// Renders a subject's card from the state stored now; null when the subject is gone, or when its version is still
/// <paramref name="unlessVersion"/>: nothing newer to show, so nothing is rendered.
/// </summary>
public delegate Task<RenderedCard?> CardRenderer(int? unlessVersion, CancellationToken ct);

/// <summary>
/// "The message about subject X for purpose P" in one channel. The row is the claim: it is committed before the
/// message is sent (empty ids until then), so a retry never posts twice; a claim whose send never completed is taken
/// again once its lease has passed.
/// </summary>
public sealed class LivingCard
{
    public long Id { get; set; }
    public string Subject { get; set; } = "";
    public long SubjectId { get; set; }
    public string Purpose { get; set; } = "";
    public string Channel { get; set; } = "";
    public string ConversationId { get; set; } = "";
    public string MessageId { get; set; } = "";
    public DateTimeOffset ClaimedAt { get; set; }

    public bool Posted => MessageId.Length > 0;
}

public static class LivingCardTables
{
    extension(BotDbContext db)
    {
        public DbSet<LivingCard> LivingCards => db.Set<LivingCard>();
    }
}

public sealed class LivingCardConfiguration : IEntityTypeConfiguration<LivingCard>
{
    public void Configure(EntityTypeBuilder<LivingCard> e)
    {
        e.ToTable("LivingCards");
        e.Property(x => x.Subject).HasMaxLength(32);
        e.Property(x => x.Purpose).HasMaxLength(64);
        e.Property(x => x.Channel).HasMaxLength(32);
        e.Property(x => x.ConversationId).HasMaxLength(300);
        e.Property(x => x.MessageId).HasMaxLength(300);
        e.Ignore(x => x.Posted);
        e.HasIndex(x => new { x.Subject, x.SubjectId, x.Purpose, x.Channel }).IsUnique();
    }
}
