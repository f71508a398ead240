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
    /// Posts to each target that has no card of this purpose yet; returns the posts made now, or found (made by a send
    /// that lost its record). A failed send leaves its claim lapsed, so the retry looks for it and sends it if it is not
    /// there; one failing channel does not stop the others. A target another worker holds the claim for fails too: that
    /// worker may have been killed, and only a retry after its lease lapsed would post the card.
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
            // One rendering serves every channel; a subject that is gone has no card.
            card ??= await render(null, ct);
            if (card is null) break;
            try
            {
                var outcome = await SendAsync(db, subject, purpose, target, card, render, ct);
                if (outcome.Busy) throw new ClaimHeldException($"Another worker is posting {subject.Kind} {subject.Id} ({purpose}) in {target.Channel} now");
                if (outcome.Sent is { } sent) posted.Add(sent);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Add(ExceptionDispatchInfo.Capture(ex));
            }
        }
        ThrowPreferringRetryable(failures);
        return posted;
    }

    /// <summary>
    /// Sends one message (a page, a thank-you) to one target exactly once, whoever asks how often: the first call sends
    /// it, later ones find it done. While another worker is sending it, this throws, so a retry comes back to check.
    /// </summary>
    public async Task<SendOnce> SendOnceAsync(BotDbContext db, CardSubject subject, string purpose, CardTarget target, Message message, CancellationToken ct)
    {
        var outcome = await SendAsync(db, subject, purpose, target, new RenderedCard(message, 0), RenderedCard.Fixed(message), ct);
        return outcome.Busy ? throw new ClaimHeldException($"Another worker is sending {subject.Kind} {subject.Id} ({purpose}) now") : outcome;
    }

    /// <summary>
    /// Claims, sends and records one target's message. A claim retaken from a send that may have gone through (a crash,
    /// a timeout) looks for the tagged post first, so a post the platform already accepted is recorded, not repeated.
    /// </summary>
    private async Task<SendOnce> SendAsync(BotDbContext db, CardSubject subject, string purpose, CardTarget target, RenderedCard card,
        CardRenderer render, CancellationToken ct)
    {
        var channel = channels.Get(target.Channel);
        var claim = await ClaimAsync(db, subject, purpose, target.Channel, ct);
        if (claim.Done) return SendOnce.AlreadySent;
        if (claim.At is not { } claimedAt) return SendOnce.Taken;
        var tag = $"{subject.Kind}:{subject.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}:{purpose}";
        var message = card.Message with { Tag = tag };
        MessageRef? sent = null;
        var found = false;
        // A send never outlives its claim: past the lease another worker may take the claim over and, not finding this
        // post yet, send it again. Cut off before that, it counts as failed, and whoever takes the claim next (the
        // claim is lapsed below) looks for the post before sending.
        using var deadline = new CancellationTokenSource(SendDeadline, clock);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            if (claim.RetakenFrom is { } earlier)
            {
                // Clocks of hosts differ a little: look from a minute before the lapsed claim was taken.
                var since = earlier - TimeSpan.FromMinutes(1);
                sent = target.To is { } who
                    ? await channel.FindDirectMessageAsync(who, tag, since, bounded.Token)
                    : await channel.FindPostAsync(new ConversationAddress(target.Channel, target.ConversationId), tag, since, bounded.Token);
                found = sent is not null;
            }
            sent ??= target.To is { } person
                ? await channel.DirectMessageAsync(person, message, bounded.Token)
                : await channel.PostAsync(new ConversationAddress(target.Channel, target.ConversationId), message, bounded.Token);
        }
        catch (Exception ex)
        {
            // The channel that refused for good is named, so whoever gives up can tell the people who can fix it.
            if (ex is ChannelUnavailableException unavailable && target.To is null)
                unavailable.Where ??= new ConversationAddress(target.Channel, target.ConversationId);
            // Given back whatever cancelled us, and lapsed rather than removed: the send may have reached the platform,
            // so whoever takes it next looks for it before sending.
            var lapsed = claimedAt - scheduling.Value.ClaimLease - TimeSpan.FromSeconds(1);
            await Claims(db, subject, purpose, target.Channel).Where(c => c.MessageId == "" && c.ClaimedAt == claimedAt)
                .ExecuteUpdateAsync(x => x.SetProperty(c => c.ClaimedAt, lapsed), CancellationToken.None);
            if (ex is OperationCanceledException && deadline.IsCancellationRequested && !ct.IsCancellationRequested)
                throw new TimeoutException($"Sending {tag} in {target.Channel} took longer than {SendDeadline.TotalSeconds:0} s (most of the claim's lease); " +
                                           "the next attempt looks for it before sending it again.", ex);
            throw;
        }
        if (sent is null)
        {
            // This channel cannot reach the person: nothing to claim.
            await Claims(db, subject, purpose, target.Channel).Where(c => c.MessageId == "" && c.ClaimedAt == claimedAt).ExecuteDeleteAsync(CancellationToken.None);
            return SendOnce.Unreachable;
        }
        var (conversationId, messageId) = (sent.ConversationId, sent.MessageId);
        await Claims(db, subject, purpose, target.Channel).Where(c => c.ClaimedAt == claimedAt)
            .ExecuteUpdateAsync(x => x.SetProperty(c => c.ConversationId, conversationId).SetProperty(c => c.MessageId, messageId), CancellationToken.None);

        // Someone may have acted while the card was on its way (or since a lost send): their refresh did not find it.
        if (await render(found ? null : card.Version, ct) is { } newer) await channel.UpdateAsync(sent, newer.Message with { Tag = tag }, ct);
        return new SendOnce(sent, found, false);
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

    /// <summary>How long one send may take: most of the claim's lease, leaving the rest to record it.</summary>
    private TimeSpan SendDeadline => scheduling.Value.ClaimLease * 0.8;

    private static IQueryable<LivingCard> Claims(BotDbContext db, CardSubject subject, string purpose, string channel) =>
        db.LivingCards.Where(c => c.Subject == subject.Kind && c.SubjectId == subject.Id && c.Purpose == purpose && c.Channel == channel);

    private readonly record struct Claim(DateTimeOffset? At, DateTimeOffset? RetakenFrom, bool Done);

    /// <summary>
    /// Takes the claim to post: a new row, or an unsent one whose lease has passed (then it says since when, to look
    /// for the post first). No time when it is someone else's; done when it was sent.
    /// </summary>
    private async Task<Claim> ClaimAsync(BotDbContext db, CardSubject subject, string purpose, string channel, CancellationToken ct)
    {
        var now = StoredTime.Of(clock.GetUtcNow());
        var existing = await Claims(db, subject, purpose, channel).AsNoTracking().FirstOrDefaultAsync(ct);
        if (existing is not null)
        {
            if (existing.Posted) return new Claim(null, null, true);
            if (existing.ClaimedAt > now - scheduling.Value.ClaimLease) return default;
            var stale = existing.ClaimedAt;
            var taken = await Claims(db, subject, purpose, channel).Where(c => c.MessageId == "" && c.ClaimedAt == stale)
                .ExecuteUpdateAsync(x => x.SetProperty(c => c.ClaimedAt, now), ct);
            return taken == 1 ? new Claim(now, stale, false) : default;
        }
        var claim = new LivingCard { Subject = subject.Kind, SubjectId = subject.Id, Purpose = purpose, Channel = channel, ClaimedAt = now };
        db.LivingCards.Add(claim);
        try
        {
            await db.SaveChangesAsync(ct);
            return new Claim(now, null, false);
        }
        catch (DbUpdateException)
        {
            return default;
        }
        finally
        {
            db.Entry(claim).State = EntityState.Detached;
        }
    }
}

/// <summary>
/// What a send-once call did: <see cref="Sent"/> is the message when it was sent now or <see cref="Found"/> already
/// posted by a send that lost its record; <see cref="AlreadySent"/> when an earlier call recorded it.
/// </summary>
public sealed record SendOnce(MessageRef? Sent, bool Found, bool Busy, bool Done = false)
{
    public static readonly SendOnce AlreadySent = new(null, false, false, true);
    internal static readonly SendOnce Taken = new(null, false, true);
    public static readonly SendOnce Unreachable = new(null, false, false);

    /// <summary>The message reached its target, now or before.</summary>
    public bool Delivered => Sent is not null || Done;
}

/// <summary>Another worker holds the claim to send this message (it may have died): retried once its claim is done or has lapsed.</summary>
public sealed class ClaimHeldException(string what) : InvalidOperationException(what + "; retried once its claim is done or has lapsed.");
