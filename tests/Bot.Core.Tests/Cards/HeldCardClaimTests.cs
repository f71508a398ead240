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
}

public sealed class HeldCardClaimOnSqlite() : HeldCardClaimTests(TestProvider.Sqlite);

public sealed class HeldCardClaimOnPostgres() : HeldCardClaimTests(TestProvider.Postgres);
