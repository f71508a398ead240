using System.Reflection;
using System.Text.Json;
using Bot.Core.Conversation;
using Bot.Core.Features.Digests;
using Bot.Core.Features.Escalation;
using Bot.Core.Features.Incidents;
using Bot.Core.Features.Reviews;
using Bot.Core.Flows;
using Bot.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Tests.Flows;

/// <summary>Button and form ids are enum members of the flow that owns them; on the wire they read as before.</summary>
public sealed class FlowIdTests
{
    [Fact]
    public async Task EveryFlowsIdEnums_NameThatFlow_AndEveryIdEnumBelongsToARegisteredFlow()
    {
        await using var core = await CoreHarness.CreateAsync();
        await using var scope = core.Services.CreateAsyncScope();
        var flows = scope.ServiceProvider.GetRequiredService<FlowCatalog>().Flows;

        var declared = new List<Type>();
        foreach (var flow in flows)
        {
            foreach (var ids in new[] { flow.Info.Ids.Actions, flow.Info.Ids.Forms }.OfType<Type>())
            {
                Assert.True(ids.IsEnum, $"{flow.Info.Key}: {ids.Name} is not an enum");
                Assert.Equal(flow.Info.Key, FlowIdTypes.FlowOf(ids));
                declared.Add(ids);
            }
        }
        var inCore = typeof(FlowInfo).Assembly.GetTypes().Where(t => t.GetCustomAttribute<FlowIdsAttribute>() is not null).ToArray();
        Assert.Equal(inCore.Select(t => t.Name).Order(), declared.Select(t => t.Name).Order());
        Assert.Equal(declared.Count, declared.Distinct().Count());
    }

    /// <summary>Messages already posted in Slack and Teams carry these: renaming one breaks every button on them.</summary>
    [Fact]
    public void WireNames_AreTheOnesMessagesAlreadyCarry()
    {
        static IEnumerable<string> All<T>() where T : struct, Enum => FlowIds<T>.Names.Select(n => FlowIds<T>.Flow + "." + n);
        string[] wire =
        [
            .. All<EscalationAction>(), .. All<EscalationForm>(), .. All<IncidentAction>(), .. All<IncidentForm>(),
            .. All<ReviewAction>(), .. All<ReviewForm>(), .. All<Bot.Core.Features.Experiments.ExperimentAction>(), .. All<Bot.Core.Features.Experiments.ExperimentForm>(),
            .. All<DigestAction>(), .. All<DigestForm>(),
        ];
        Assert.Equal(
        [
            "escalation.ack", "escalation.join", "escalation.resolve", "escalation.start-incident", "escalation.open-source",
            "escalation.raise", "escalation.resolve",
            "incident.ack", "incident.link-deployment", "incident.split-out", "incident.open",
            "incident.link-deployment",
            "review.edit", "review.complete", "review.snooze", "review.hand-over", "review.export", "review.download", "review.show",
            "review.item-done", "review.item-push", "review.item-decline", "review.start-incident",
            "review.section", "review.action", "review.hand-over", "review.decline",
            "experiment.support", "experiment.concern", "experiment.join", "experiment.follow", "experiment.approve", "experiment.ask-changes",
            "experiment.revise", "experiment.withdraw", "experiment.record-result", "experiment.show", "experiment.open", "experiment.from-item",
            "experiment.from-factor",
            "experiment.propose", "experiment.concern", "experiment.changes", "experiment.conclude",
            "digest.sponsor", "digest.unblock", "digest.seen", "digest.list", "digest.checkin.open", "digest.ops03.download",
            "digest.checkin",
        ], wire);
    }

    [Fact]
    public void AnIdReadBack_IsAMemberOnlyOfTheFlowThatDeclaresIt()
    {
        Assert.True(ActionId.FromWire("escalation.ack").Is(out EscalationAction ack));
        Assert.Equal(EscalationAction.Acknowledge, ack);
        // The same name in another flow is another id.
        Assert.False(ActionId.FromWire("incident.ack").Is(out EscalationAction _));
        Assert.True(ActionId.FromWire("incident.ack").Is(out IncidentAction onIt));
        Assert.Equal(IncidentAction.OnIt, onIt);
        // A button and a form of one flow may share a name and stay apart.
        Assert.True(FormId.FromWire("escalation.resolve").Is(out EscalationForm resolve));
        Assert.Equal(EscalationForm.Resolve, resolve);

        // Qualified: unique within a message, the member still reads back, with its qualifier.
        var edit = ActionId.Of(ReviewAction.Edit, "timeline");
        Assert.Equal("review.edit.timeline", edit.ToString());
        Assert.True(ActionId.FromWire("review.edit.timeline").Is(out ReviewAction which, out var section));
        Assert.Equal((ReviewAction.Edit, "timeline"), (which, section));
        // A name with a dot of its own is matched whole before any shorter name.
        Assert.True(ActionId.FromWire("digest.checkin.open").Is(out DigestAction open, out var none));
        Assert.Equal((DigestAction.OpenCheckIn, (string?)null), (open, none));
        // Forms take no qualifier.
        Assert.False(FormId.FromWire("digest.checkin.x").Is(out DigestForm _));

        // What is no id of ours reads as the empty id, which no flow owns.
        foreach (var junk in new[] { null, "", "escalation", ".ack", "escalation.", "escalation.nope", new string('a', 300) + ".ack" })
        {
            Assert.False(ActionId.FromWire(junk).Is(out EscalationAction _), junk);
            Assert.False(FormId.FromWire(junk).Is(out EscalationForm _), junk);
        }
        Assert.Equal("", default(ActionId).ToString());
    }

    [Fact]
    public void InJson_AnIdIsItsWireText()
    {
        var button = new Button(EscalationMessages.Acknowledge, "Acknowledge", "7");
        var json = JsonSerializer.Serialize(button);
        Assert.Contains("\"ActionId\":\"escalation.ack\"", json, StringComparison.Ordinal);
        Assert.Equal(button, JsonSerializer.Deserialize<Button>(json));
        var form = JsonSerializer.Deserialize<Form>("""{"FormId":"not an id","Title":"T","Fields":[],"SubmitLabel":"Go"}""")!;
        Assert.Equal(default, form.FormId);
    }

    [Fact]
    public void AnEnumWithoutItsFlow_OrNamingOneIdTwice_IsRefusedWhenFirstUsed()
    {
        Assert.Throws<TypeInitializationException>(() => ActionId.Of(Unmarked.One));
        Assert.Throws<TypeInitializationException>(() => ActionId.Of(Twice.First));
    }

    private enum Unmarked { One }

    [FlowIds("test")]
    private enum Twice { First, [Wire("first")] Second }
}
