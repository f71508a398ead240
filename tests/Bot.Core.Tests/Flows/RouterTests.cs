using Bot.Core.Conversation;
using Bot.Core.Flows;
using Bot.Core.Scheduling;
using Bot.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Tests.Flows;

public sealed class RouterTests
{
    private sealed class BrokenFlow : IFlow
    {
        public FlowInfo Info { get; } = new("broken", "broken", "Always fails", "/broken");

        public async Task OnCommandAsync(Turn turn, Command command, CancellationToken cancellationToken)
        {
            turn.Db.Reminders.Add(new Bot.Core.Scheduling.Reminder { Kind = "x" });
            await Task.Yield();
            throw new InvalidOperationException("secret-token-xoxb-123 leaked?");
        }

        public Task OnActionAsync(Turn turn, ButtonAction action, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<FormResult> OnSubmitAsync(Turn turn, FormSubmission submission, CancellationToken cancellationToken) => Task.FromResult(FormResult.Accepted);
    }

    private static Interaction Ana => new("playground", new Actor("ana", "Ana Souza"), new ConversationAddress("playground", "#general"));

    [Fact]
    public async Task FailingFlow_TellsThePersonBrieflyWithAReference_AndSavesNothing()
    {
        await using var core = await CoreHarness.CreateAsync(configure: s => s.AddScoped<IFlow, BrokenFlow>());
        await using (var scope = core.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<BotRouter>().HandleCommandAsync(Ana, new Command("broken", ""), CancellationToken.None);
        }
        var reply = Assert.Single(core.Channel.Of(nameof(IChatChannel.ReplyPrivatelyAsync)));
        var text = ((TextBlock)reply.Message!.Blocks[0]).Markdown;
        Assert.Contains("nothing was changed", text);
        Assert.Matches("reference `[0-9a-f]{8}`", text);
        Assert.DoesNotContain("secret", text);
        Assert.Equal(0, await core.WithDbAsync(db => db.Reminders.CountAsync()));
    }

    [Fact]
    public async Task UnknownActionOrForm_IsAnsweredPlainly()
    {
        await using var core = await CoreHarness.CreateAsync();
        await using var scope = core.Services.CreateAsyncScope();
        var router = scope.ServiceProvider.GetRequiredService<BotRouter>();
        // No such flow; a flow that declares no such id; text that is no id at all.
        foreach (var wire in new[] { "nothing.here", "escalation.nope", "escalation.", "escalation", "" })
            await router.HandleActionAsync(Ana, new ButtonAction(ActionId.FromWire(wire), "1", null), CancellationToken.None);
        foreach (var wire in new[] { "nothing.form", "escalation.ack", "escalation.raise.extra" })
        {
            var result = await router.HandleSubmissionAsync(Ana, new FormSubmission(FormId.FromWire(wire), new Dictionary<string, string?>(), null), CancellationToken.None);
            Assert.True(result.IsAccepted);
        }
        var replies = core.Channel.Of(nameof(IChatChannel.ReplyPrivatelyAsync)).Select(c => ((TextBlock)c.Message!.Blocks[0]).Markdown).ToArray();
        Assert.Equal(5, replies.Count(r => r == "That button is no longer in use."));
        Assert.Equal(3, replies.Count(r => r == "That form is no longer in use."));
        Assert.Equal(0, await core.WithDbAsync(db => db.Reminders.CountAsync()));
    }

    [Fact]
    public async Task Help_ListsEveryRegisteredFlow_InOrder_HelpLast()
    {
        await using var core = await CoreHarness.CreateAsync();
        await using var scope = core.Services.CreateAsyncScope();
        var catalog = scope.ServiceProvider.GetRequiredService<FlowCatalog>();
        Assert.Equal(["escalate", "incident", "review", "propose-experiment", "digest", "help"], catalog.Flows.Select(f => f.Info.Command));
    }
}
