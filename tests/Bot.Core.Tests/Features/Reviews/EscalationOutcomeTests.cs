using System.Globalization;
using Bot.Core.Features.Escalation;
using Bot.Core.Features.Reviews;
using Bot.Testing;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Tests.Features.Reviews;

/// <summary>Resolving an escalation with an outcome kind: a false alarm thanks the raiser, "needs a review" starts one.</summary>
public abstract class EscalationOutcomeTests(TestProvider provider)
{
    private static async Task<long> RaiseAndTakeAsync(CoreChat chat)
    {
        await chat.CommandAsync("sam", "/escalate checkout is slow");
        var raised = await chat.SubmitAsync("sam", chat.LastForm("sam"), ("summary", "Checkout is slow"), ("service", "checkout"), ("impact", "Degraded"));
        Assert.True(raised.IsAccepted);
        var id = await chat.Core.WithDbAsync(db => db.Escalations.Select(e => e.Id).SingleAsync());
        await chat.ClickAsync("kim", EscalationMessages.Acknowledge, id.ToString(CultureInfo.InvariantCulture));
        await chat.RunDueAsync();
        return id;
    }

    private static async Task ResolveAsync(CoreChat chat, long id, string kind)
    {
        await chat.ClickAsync("kim", EscalationMessages.Resolve, id.ToString(CultureInfo.InvariantCulture));
        var form = chat.LastForm("kim");
        Assert.Equal(["Fixed", "FalseAlarm", "HandedOver", "NeedsReview"], form.Fields.Single(f => f.Id == "kind").Options!.Select(o => o.Value));
        Assert.True((await chat.SubmitAsync("kim", form, ("kind", kind), ("outcome", "Nothing wrong after all"))).IsAccepted);
        await chat.RunDueAsync();
    }

    [Fact]
    public async Task FalseAlarm_ThanksWhoeverRaisedIt_EscalatingWasRight()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        var id = await RaiseAndTakeAsync(chat);
        await ResolveAsync(chat, id, "FalseAlarm");

        Assert.Contains("escalating was right", CoreChat.Text(chat.DirectMessages("sam")[^1]));
        var stored = await core.WithDbAsync(db => db.Escalations.SingleAsync());
        Assert.Equal(EscalationOutcome.FalseAlarm, stored.OutcomeKind);
        Assert.Empty(await core.WithDbAsync(db => db.Reviews.ToListAsync()));
    }

    [Fact]
    public async Task NeedsAReview_StartsOne_OwnedByWhoeverTookIt_AndAForgedKindIsRefused()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        var chat = new CoreChat(core);
        var id = await RaiseAndTakeAsync(chat);

        await chat.ClickAsync("kim", EscalationMessages.Resolve, id.ToString(CultureInfo.InvariantCulture));
        Assert.False((await chat.SubmitAsync("kim", chat.LastForm("kim"), ("kind", "Blame"), ("outcome", "x"))).IsAccepted);
        await ResolveAsync(chat, id, "NeedsReview");

        var review = await chat.ReviewAsync();
        Assert.Equal((id, (long?)null, "kim"), (review.EscalationId!.Value, review.IncidentId, review.OwnerKey));
        Assert.Contains(review.Timeline, t => t.Source == "escalation" && t.Text.Contains("Acknowledged", StringComparison.Ordinal));
        await chat.CommandAsync("sam", $"/review start #{id}");
        Assert.Contains($"already has review PIR-{review.Id}", chat.LastReply("sam"));
    }
}

public sealed class EscalationOutcomeOnSqlite() : EscalationOutcomeTests(TestProvider.Sqlite);

public sealed class EscalationOutcomeOnPostgres() : EscalationOutcomeTests(TestProvider.Postgres);
