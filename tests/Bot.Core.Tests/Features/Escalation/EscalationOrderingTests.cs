using Bot.Core.Conversation;
using Bot.Core.Features.Escalation;
using Bot.Core.Flows;
using Bot.Core.Scheduling;
using Bot.Testing;
using Bot.Testing.Conformance;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Tests.Features.Escalation;

/// <summary>Reminders run in any order and more than once; the channel must still end up showing the truth, once.</summary>
public sealed class EscalationOrderingTests
{
    private static Interaction As(string key, string name, string conversation = "#general") =>
        new("playground", new Actor(key, name), new ConversationAddress("playground", conversation));

    private static async Task<long> RaiseAsync(CoreHarness core)
    {
        await using var scope = core.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<BotRouter>().HandleSubmissionAsync(As("ana", "Ana Souza"),
            new FormSubmission(EscalationForms.RaiseId, EscalationScenarios.ValidForm(), null), CancellationToken.None);
        Assert.True(result.IsAccepted);
        return await core.WithDbAsync(db => db.Escalations.Select(e => e.Id).SingleAsync());
    }

    private static Task<long> ReminderAsync(CoreHarness core, string kind) =>
        core.WithDbAsync(db => db.Reminders.Where(r => r.Kind == kind && r.Status == ReminderStatus.Pending).Select(r => r.Id).FirstAsync());

    [Fact]
    public async Task AcknowledgedWhileThePostIsOnItsWay_ThePostedMessageIsUpdatedToShowIt()
    {
        await using var core = await CoreHarness.CreateAsync();
        var runner = core.Services.GetRequiredService<ReminderRunner>();
        var id = await RaiseAsync(core);
        var post = await ReminderAsync(core, EscalationReminders.Post);

        core.Channel.WhilePosting = async _ =>
        {
            core.Channel.WhilePosting = null;
            await using (var scope = core.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<BotRouter>().HandleActionAsync(As("bea", "Bea Okafor", "dm:bea"),
                    new ButtonAction(EscalationMessages.Acknowledge, id.ToString(System.Globalization.CultureInfo.InvariantCulture), null), CancellationToken.None);
            }
            // The acknowledgement's refresh runs at once and finds nothing posted yet.
            Assert.Equal(RunOutcome.Performed, await runner.RunAsync(await ReminderAsync(core, EscalationReminders.Refresh), CancellationToken.None));
        };
        Assert.Equal(RunOutcome.Performed, await runner.RunAsync(post, CancellationToken.None));
        Assert.Equal(RunOutcome.AlreadyHandled, await runner.RunAsync(post, CancellationToken.None));

        var posts = core.Channel.Of(nameof(IChatChannel.PostAsync)).ToArray();
        var updates = core.Channel.Of(nameof(IChatChannel.UpdateAsync)).ToArray();
        Assert.Single(posts);
        var last = Assert.Single(updates);
        Assert.Contains(last.Message!.Blocks.OfType<FieldsBlock>().Single().Fields, f => f.Value == "Acknowledged by Bea Okafor");
    }

    [Fact]
    public async Task SomeoneNotInTheDirectory_CanEscalate_UnderTheirPlatformName()
    {
        await using var core = await CoreHarness.CreateAsync();
        await using (var scope = core.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<BotRouter>().HandleSubmissionAsync(As("U0NEWHIRE", "New Hire"),
                new FormSubmission(EscalationForms.RaiseId, EscalationScenarios.ValidForm(), null), CancellationToken.None);
            Assert.True(result.IsAccepted);
        }
        var stored = await core.WithDbAsync(db => db.Escalations.SingleAsync());
        Assert.Equal(("New Hire", "U0NEWHIRE", (string?)null), (stored.RaisedByName, stored.RaisedByUserId, stored.RaisedByKey));

        var runner = core.Services.GetRequiredService<ReminderRunner>();
        Assert.Equal(RunOutcome.Performed, await runner.RunAsync(await ReminderAsync(core, EscalationReminders.Thank), CancellationToken.None));
        // Thanked directly, at their platform id: the bot knows no directory entry for them.
        var thanks = Assert.Single(core.Channel.Of(nameof(IChatChannel.DirectMessageAsync)));
        Assert.Equal("U0NEWHIRE", thanks.To);
    }

    [Fact]
    public async Task PostThatRunsTwice_PostsOnce()
    {
        await using var core = await CoreHarness.CreateAsync();
        var runner = core.Services.GetRequiredService<ReminderRunner>();
        await RaiseAsync(core);
        var post = await ReminderAsync(core, EscalationReminders.Post);

        // A crashed worker's claim expires and the post is claimed again: the recorded message stops a second post.
        Assert.Equal(RunOutcome.Performed, await runner.RunAsync(post, CancellationToken.None));
        await core.WithDbAsync(db => db.Reminders.Where(r => r.Id == post).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReminderStatus.Pending)));
        Assert.Equal(RunOutcome.Performed, await runner.RunAsync(post, CancellationToken.None));
        Assert.Single(core.Channel.Of(nameof(IChatChannel.PostAsync)));
    }
}
