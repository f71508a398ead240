using System.Runtime.ExceptionServices;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bot.Core.Cards;

/// <summary>
/// Keeps the one message about a subject for a purpose in every channel it belongs in: posts it once per channel,
/// updates it with the latest stored state, and lets flows find it. Features render; this service posts, claims and
/// records, so escalations, incidents and reviews share one way of doing it.
/// </summary>
public sealed class LivingCards(ChannelRegistry channels, TimeProvider clock, IOptions<SchedulingOptions> scheduling)
{
    public const string Card = "card";

    /// <summary>The posted messages of a subject for a purpose, one per channel.</summary>
    public async Task<IReadOnlyList<MessageRef>> FindAsync(BotDbContext db, CardSubject subject, string purpose, CancellationToken ct) =>
        await Posted(db, subject).Where(c => c.Purpose == purpose)
            .OrderBy(c => c.Id)
            .Select(c => new MessageRef(c.Channel, c.ConversationId, c.MessageId, null))
            .ToListAsync(ct);

    /// <summary>The posted messages of a subject for every purpose starting with <paramref name="purposePrefix"/> (one card per person, say).</summary>
    public async Task<IReadOnlyList<MessageRef>> FindAllAsync(BotDbContext db, CardSubject subject, string purposePrefix, CancellationToken ct) =>
        await Posted(db, subject).Where(c => c.Purpose.StartsWith(purposePrefix))
            .OrderBy(c => c.Id)
            .Select(c => new MessageRef(c.Channel, c.ConversationId, c.MessageId, null))
            .ToListAsync(ct);

    private static IQueryable<LivingCard> Posted(BotDbContext db, CardSubject subject) =>
        db.LivingCards.AsNoTracking().Where(c => c.Subject == subject.Kind && c.SubjectId == subject.Id && c.MessageId != "");

    /// <summary>A direct message to <paramref name="person"/> in every connected channel kind (those that cannot reach them skip it).</summary>
    public IReadOnlyList<CardTarget> PersonTargets(Directory.Person person) => channels.Enabled.Select(c => CardTarget.Direct(c.Kind, person)).ToArray();

    /// <summary>Configured conversations per channel kind (a forum, a learnings channel), in the connected channel kinds.</summary>
    public IReadOnlyList<CardTarget> ConfiguredTargets(IReadOnlyDictionary<string, string> byKind) =>
        channels.Enabled.Where(c => byKind.ContainsKey(c.Kind)).Select(c => new CardTarget(c.Kind, byKind[c.Kind])).ToArray();

    /// <summary>The channels of a team in every connected channel kind: where a team's cards go.</summary>
    public async Task<IReadOnlyList<CardTarget>> TeamTargetsAsync(BotDbContext db, string? teamKey, CancellationToken ct)
    {
        var team = teamKey is null ? null : await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Key == teamKey, ct);
        if (team is null) return [];
        return channels.Enabled.Where(c => team.ChannelFor(c.Kind) is not null).Select(c => new CardTarget(c.Kind, team.ChannelFor(c.Kind)!)).ToArray();
    }

    /// <summary>
    /// Posts to each target that has no card of this purpose yet; returns the posts made now. A send the platform
    /// refused gives its claim back, so the retry sends it; one failing channel does not stop the others.
    /// When the subject changed while a card was on its way, the new card is updated to the newest state at once.
    /// </summary>
    public async Task<IReadOnlyList<MessageRef>> PostOnceAsync(BotDbContext db, CardSubject subject, string purpose,
        IEnumerable<CardTarget> targets, CardRenderer render, CancellationToken ct)
    {
        var posted = new List<MessageRef>();
        var failures = new List<ExceptionDispatchInfo>();
        RenderedCard? card = null;
        foreach (var target in targets)
        {
            var channel = channels.Get(target.Channel);
            // One rendering serves every channel; a subject that is gone has no card.
            card ??= await render(null, ct);
            if (card is null) break;
            if (await ClaimAsync(db, subject, purpose, target.Channel, ct) is not { } claimedAt) continue;
            MessageRef? sent = null;
            try
            {
                sent = target.To is { } person
                    ? await channel.DirectMessageAsync(person, card.Message, ct)
                    : await channel.PostAsync(new ConversationAddress(target.Channel, target.ConversationId), card.Message, ct);
                if (sent is null)
                {
                    // This channel cannot reach the person: nothing to claim.
                    await Claims(db, subject, purpose, target.Channel).Where(c => c.MessageId == "" && c.ClaimedAt == claimedAt).ExecuteDeleteAsync(CancellationToken.None);
                    continue;
                }
                var (conversationId, messageId) = (sent.ConversationId, sent.MessageId);
                await Claims(db, subject, purpose, target.Channel).Where(c => c.ClaimedAt == claimedAt)
                    .ExecuteUpdateAsync(x => x.SetProperty(c => c.ConversationId, conversationId).SetProperty(c => c.MessageId, messageId), CancellationToken.None);
                posted.Add(sent);

                // Someone may have acted while the card was on its way; their refresh did not find it, so update it here.
                if (await render(card.Version, ct) is { } newer) await channel.UpdateAsync(sent, newer.Message, ct);
            }
            catch (Exception ex)
            {
                if (sent is null)
                {
                    // Given back whatever cancelled us: a claim left behind would wait out its lease for nothing.
                    await Claims(db, subject, purpose, target.Channel).Where(c => c.MessageId == "" && c.ClaimedAt == claimedAt)
                        .ExecuteDeleteAsync(CancellationToken.None);
                }
                if (ex is OperationCanceledException) throw;
                failures.Add(ExceptionDispatchInfo.Capture(ex));
            }
        }
        ThrowPreferringRetryable(failures);
        return posted;
    }

    /// <summary>
    /// Rewrites every posted card of the subject with its newest state. Refreshes may overlap: one holding an older
    /// state must not have the last word, so it renders again until the state shown is the state stored.
    /// Not posted yet: nothing to do, the post renders the current state and re-checks it once posted.
    /// </summary>
    public async Task RefreshAsync(BotDbContext db, CardSubject subject, string purpose, CardRenderer render, CancellationToken ct) =>
        await RefreshPostsAsync(await FindAsync(db, subject, purpose, ct), render, ct);

    /// <summary>Like <see cref="RefreshAsync"/>, for every purpose starting with <paramref name="purposePrefix"/>.</summary>
    public async Task RefreshAllAsync(BotDbContext db, CardSubject subject, string purposePrefix, CardRenderer render, CancellationToken ct) =>
        await RefreshPostsAsync(await FindAllAsync(db, subject, purposePrefix, ct), render, ct);

    private async Task RefreshPostsAsync(IReadOnlyList<MessageRef> posts, CardRenderer render, CancellationToken ct)
    {
        if (posts.Count == 0) return;
        int? shown = null;
        for (var round = 0; round < 3; round++)
        {
            if (await render(shown, ct) is not { } card) return;
            var failures = new List<ExceptionDispatchInfo>();
            foreach (var post in posts)
            {
                try
                {
                    if (channels.Find(post.Channel) is { } channel) await channel.UpdateAsync(post, card.Message, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failures.Add(ExceptionDispatchInfo.Capture(ex));
                }
            }
            ThrowPreferringRetryable(failures);
            shown = card.Version;
        }
    }

    /// <summary>
    /// A failure another attempt may fix wins over a permanent one (which makes the runner give up), so one removed
    /// channel does not cost the others their retry.
    /// </summary>
    private static void ThrowPreferringRetryable(List<ExceptionDispatchInfo> failures)
    {
        if (failures.Count == 0) return;
        (failures.FirstOrDefault(f => f.SourceException is not ChannelUnavailableException) ?? failures[0]).Throw();
    }

    private static IQueryable<LivingCard> Claims(BotDbContext db, CardSubject subject, string purpose, string channel) =>
        db.LivingCards.Where(c => c.Subject == subject.Kind && c.SubjectId == subject.Id && c.Purpose == purpose && c.Channel == channel);

    /// <summary>Takes the claim to post: a new row, or an unsent one whose lease has passed. Null when it is someone else's or done.</summary>
    private async Task<DateTimeOffset?> ClaimAsync(BotDbContext db, CardSubject subject, string purpose, string channel, CancellationToken ct)
    {
        // Microseconds: what PostgreSQL keeps, so the claim's time compares equal when it is read back.
        var utc = clock.GetUtcNow();
        var now = utc.AddTicks(-(utc.Ticks % 10));
        var existing = await Claims(db, subject, purpose, channel).AsNoTracking().FirstOrDefaultAsync(ct);
        if (existing is not null)
        {
            if (existing.Posted || existing.ClaimedAt > now - scheduling.Value.ClaimLease) return null;
            var stale = existing.ClaimedAt;
            var taken = await Claims(db, subject, purpose, channel).Where(c => c.MessageId == "" && c.ClaimedAt == stale)
                .ExecuteUpdateAsync(x => x.SetProperty(c => c.ClaimedAt, now), ct);
            return taken == 1 ? now : null;
        }
        var claim = new LivingCard { Subject = subject.Kind, SubjectId = subject.Id, Purpose = purpose, Channel = channel, ClaimedAt = now };
        db.LivingCards.Add(claim);
        try
        {
            await db.SaveChangesAsync(ct);
            return now;
        }
        catch (DbUpdateException)
        {
            return null;
        }
        finally
        {
            db.Entry(claim).State = EntityState.Detached;
        }
    }
}
