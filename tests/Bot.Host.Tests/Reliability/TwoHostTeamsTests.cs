using Bot.Channels.Teams;
using Bot.Core.Conversation;
using Bot.Host.Tests.Teams;
using Bot.Testing;
using Bot.Testing.Conformance;
using Microsoft.EntityFrameworkCore;

namespace Bot.Host.Tests.Reliability;

/// <summary>Two hosts on one PostgreSQL (in this process): what one learns of a Teams installation, the other sees.</summary>
public sealed class TwoHostTeamsTests
{
    [Fact]
    public async Task TheTeamsAppRemovedThroughOneHost_AndAddedBackThroughTheOther_KeepsPosting()
    {
        await using var a = await TeamsHost.StartAsync(TestProvider.Postgres);
        await using var b = new BotAppFactory(a.Database, TeamsDriver.Settings(a.Connector, a.Identity));
        var viaB = new TeamsDriver(b, b.CreateClient(), a.Connector, a.Identity);

        await a.Driver.InstallAsync();
        var remove = a.Driver.Activity("installationUpdate", "ana", ("6f1c0d2e-0000-4000-8000-000000000005", "Ana Souza"), TeamsDriver.GeneralChannel, "channel");
        remove["action"] = "remove";
        await a.Driver.SendAsync(remove);
        await Eventually.TrueAsync(() => a.Host.WithDbAsync(async db => !(await db.StoredConversations.SingleAsync(c => c.ConversationId == TeamsDriver.GeneralChannel)).Active),
            "the app removed, seen by host A");

        var add = viaB.Activity("installationUpdate", "ana", ("6f1c0d2e-0000-4000-8000-000000000005", "Ana Souza"), TeamsDriver.GeneralChannel, "channel");
        add["action"] = "add";
        await viaB.SendAsync(add);
        await Eventually.TrueAsync(() => b.WithDbAsync(async db => (await db.StoredConversations.SingleAsync(c => c.ConversationId == TeamsDriver.GeneralChannel)).Active),
            "the app added back, through host B");

        // Host A, which saw only the removal, still posts there.
        await a.Host.Get<TeamsChannel>().PostAsync(new ConversationAddress("teams", TeamsDriver.GeneralChannel), Message.Text("after the re-install"), CancellationToken.None);
        Assert.Contains(a.Connector.Sent, c => c.ConversationId == TeamsDriver.GeneralChannel && c.Body!.ToJsonString().Contains("after the re-install"));
    }
}
