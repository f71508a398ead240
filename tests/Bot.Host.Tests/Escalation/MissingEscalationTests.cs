using Bot.Channels.Playground;
using Bot.Core.Conversation;
using Bot.Core.Features.Escalation;
using Bot.Core.Flows;
using Bot.Core.Scheduling;
using Bot.Testing;
using Bot.Testing.Conformance;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Host.Tests.Escalation;

public sealed class MissingEscalationTests
{
    [Theory]
    [InlineData("escalation.ack", "987654")]
    [InlineData("escalation.resolve", "not-a-number")]
    [InlineData("escalation.join", "")]
    public async Task ButtonForAnEscalationThatDoesNotExist_IsAnsweredPlainly_AndStoresNothing(string actionId, string value)
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        await using var host = new BotAppFactory(database);
        var driver = new PlaygroundDriver(host.Playground());

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var router = scope.ServiceProvider.GetRequiredService<BotRouter>();
            var interaction = new Interaction(PlaygroundChannel.ChannelKind, new Actor("bea", "Bea Okafor"),
                new ConversationAddress(PlaygroundChannel.ChannelKind, "#general"));
            await router.HandleActionAsync(interaction, new ButtonAction(ActionId.FromWire(actionId), value, null), CancellationToken.None);
        }

        var reply = await driver.PrivateReplyAsync("bea", m => m.Text.Contains("can't find escalation"), "the plain answer");
        Assert.DoesNotContain("went wrong", reply.Text);
        Assert.Equal(0, await host.WithDbAsync(db => db.Escalations.CountAsync()));
        Assert.Equal(0, await host.WithDbAsync(db => db.Reminders.CountAsync()));
    }
}
