using Bot.Core.Cards;
using Bot.Core.Conversation;
using Bot.Core.Features.Escalation;
using Bot.Core.Scheduling;
using Bot.Core.Tests.Features;
using Bot.Testing;
using Bot.Testing.Conformance;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Tests.Cards;

/// <summary>
/// A card whose claim another worker holds is not given up on: that worker may have been killed mid-send, and only a
/// retry after its lease has lapsed posts the card (looking for it first).
/// </summary>
public abstract class HeldCardClaimTests(TestProvider provider)
{
    [Fact]
    public async Task ACardClaimedByAWorkerThatDied_IsPostedOnceItsLeaseLapses_NotDroppedAsSomeoneElsesJob()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        await chat.CommandAsync("ana", "/escalate checkout is failing");
        Assert.True((await chat.SubmitAsync("ana", chat.LastForm("ana"), EscalationScenarios.ValidForm().Select(x => (x.Key, x.Value)).ToArray())).IsAccepted);
        var id = await core.WithDbAsync(db => db.Escalations.Select(e => e.Id).SingleAsync());
        // A worker claimed the card and was killed before it posted or recorded anything.
        await core.WithDbAsync(async db =>
        {
            db.LivingCards.Add(new LivingCard
            {
                Subject = EscalationReminders.CardOf(id).Kind, SubjectId = id, Purpose = LivingCards.Card, Channel = "playground",
                ClaimedAt = core.Clock.GetUtcNow(),
            });
            return await db.SaveChangesAsync();
        });

        await chat.RunDueAsync();
        bool IsCard(Message m) => m.FallbackText.Contains($"Escalation #{id}", StringComparison.Ordinal);
        Assert.DoesNotContain(core.Channel.Of(nameof(IChatChannel.PostAsync)), c => IsCard(c.Message!));
        var post = await core.WithDbAsync(db => db.Reminders.SingleAsync(r => r.Kind == EscalationReminders.Post.Name));
        Assert.Equal(ReminderStatus.Pending, post.Status);
        Assert.Contains("Another worker is posting", post.LastError);

        // Its lease (five minutes) lapses; the retry looks for the post, finds none, and posts it once.
        await chat.AtAsync(core.Clock.GetUtcNow().AddMinutes(10));
        Assert.Single(core.Channel.Of(nameof(IChatChannel.PostAsync)), c => IsCard(c.Message!));
        Assert.Equal(ReminderStatus.Done, (await core.WithDbAsync(db => db.Reminders.SingleAsync(r => r.Id == post.Id))).Status);
        await chat.AtAsync(core.Clock.GetUtcNow().AddMinutes(10));
        Assert.Single(core.Channel.Of(nameof(IChatChannel.PostAsync)), c => IsCard(c.Message!));
    }

    [Fact]
    public async Task ASendSlowerThanItsLease_IsCutOffBeforeTheLeaseEnds_AndTheRetryFindsThePostInsteadOfPostingAgain()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        var cutOffAfter = TimeSpan.Zero;
        // The post reaches the platform, and its answer never comes back while time passes.
        core.Channel.WhilePosting = async token =>
        {
            core.Channel.WhilePosting = null;
            var started = core.Clock.GetUtcNow();
            while (!token.IsCancellationRequested && core.Clock.GetUtcNow() - started < TimeSpan.FromHours(1)) core.Clock.Advance(TimeSpan.FromSeconds(10));
            cutOffAfter = core.Clock.GetUtcNow() - started;
            await Task.Delay(Timeout.Infinite, token);
        };
        await chat.CommandAsync("ana", "/escalate checkout is failing");
        Assert.True((await chat.SubmitAsync("ana", chat.LastForm("ana"), EscalationScenarios.ValidForm().Select(x => (x.Key, x.Value)).ToArray())).IsAccepted);
        var id = await core.WithDbAsync(db => db.Escalations.Select(e => e.Id).SingleAsync());
        await chat.RunDueAsync();
        await chat.RunDueAsync();

        // Cut off at four fifths of the five-minute lease, before another worker could have taken the claim over.
        Assert.Equal(TimeSpan.FromMinutes(4), cutOffAfter);
        // The retry looked for the post first, found it, and recorded it: one post, the card's message known.
        bool IsCard(Message m) => m.FallbackText.Contains($"Escalation #{id}", StringComparison.Ordinal);
        var post = Assert.Single(core.Channel.Of(nameof(IChatChannel.PostAsync)), c => IsCard(c.Message!));
        var card = await core.WithDbAsync(db => db.LivingCards.SingleAsync(c => c.Subject == "escalation" && c.SubjectId == id && c.Purpose == LivingCards.Card));
        Assert.Equal(post.MessageId, card.MessageId);
        var reminder = await core.WithDbAsync(db => db.Reminders.SingleAsync(r => r.Kind == EscalationReminders.Post.Name));
        Assert.Equal((ReminderStatus.Done, 2), (reminder.Status, reminder.Attempts));
    }
}

public sealed class HeldCardClaimOnSqlite() : HeldCardClaimTests(TestProvider.Sqlite);

public sealed class HeldCardClaimOnPostgres() : HeldCardClaimTests(TestProvider.Postgres);
