using Bot.Channels.Slack;
using Bot.Core.Directory;
using Bot.Core.Features.Escalation;
using Bot.Testing;
using Bot.Testing.Conformance;
using Microsoft.EntityFrameworkCore;

namespace Bot.Host.Tests.Slack;

public sealed class SlackIdentityTests
{
    [Fact]
    public async Task SlackUserWithoutConfiguredId_IsLinkedByEmail_Once()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        var settings = new Dictionary<string, string?>(SlackDriver.Settings(slack))
        {
            ["Directory:People:7:Key"] = "zoe",
            ["Directory:People:7:Name"] = "Zoe Park",
            ["Directory:People:7:Email"] = "Zoe@Example.com",
        };
        slack.Emails["U0ZOE00008"] = "zoe@example.com";
        await using var host = new BotAppFactory(database, settings);
        var signer = new SlackSigner(SlackSigner.Secret, () => host.Clock.GetUtcNow());
        var http = host.CreateClient();

        IEnumerable<KeyValuePair<string, string>> Escalate() =>
            [new("command", "/escalate"), new("user_id", "U0ZOE00008"), new("channel_id", "C0GENERAL"), new("trigger_id", Guid.NewGuid().ToString())];
        await http.SendAsync(signer.Form("/slack/commands", Escalate()));
        await Eventually.TrueAsync(() => host.WithDbAsync(async db => (await db.People.SingleAsync(p => p.Key == "zoe")).IdentityOn("slack") == "U0ZOE00008"), "the link");
        await http.SendAsync(signer.Form("/slack/commands", Escalate()));
        await Eventually.TrueAsync(() => Task.FromResult(slack.Of("views.open").Count() == 2), "both forms");
        Assert.Single(slack.Of("users.info"));
    }

    [Fact]
    public async Task SlackConnectUserFromAnotherWorkspace_IsNotLinkedByAnAddressOfOurs()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        var settings = new Dictionary<string, string?>(SlackDriver.Settings(slack))
        {
            ["Directory:People:7:Key"] = "zoe",
            ["Directory:People:7:Name"] = "Zoe Park",
            ["Directory:People:7:Email"] = "zoe@example.com",
        };
        // Someone in a shared channel, from another organisation, whose profile claims Zoe's address.
        slack.Emails["U0MALLORY"] = "zoe@example.com";
        slack.HomeTeams["U0MALLORY"] = "T0ELSEWHERE";
        await using var host = new BotAppFactory(database, settings);
        var signer = new SlackSigner(SlackSigner.Secret, () => host.Clock.GetUtcNow());
        await host.CreateClient().SendAsync(signer.Form("/slack/commands",
            [new("command", "/escalate"), new("user_id", "U0MALLORY"), new("channel_id", "C0GENERAL"), new("trigger_id", "1.2.3")]));
        await Eventually.TrueAsync(() => Task.FromResult(slack.Of("views.open").Any()), "the form, answered all the same");
        Assert.Single(slack.Of("users.info"));
        Assert.Null(await host.WithDbAsync(async db => (await db.People.SingleAsync(p => p.Key == "zoe")).IdentityOn("slack")));
    }

    [Fact]
    public async Task SomeoneNotInTheDirectory_CanEscalate_AndIsToldHowToBeAdded()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        await using var host = new BotAppFactory(database, SlackDriver.Settings(slack));
        var signer = new SlackSigner(SlackSigner.Secret, () => host.Clock.GetUtcNow());
        var http = host.CreateClient();

        await http.SendAsync(signer.Form("/slack/commands",
            [new("command", "/escalate"), new("text", "checkout is failing"), new("user_id", "U0GUEST"), new("user_name", "guest"), new("channel_id", "C0GENERAL"), new("trigger_id", "9.9.t")]));
        var open = await Eventually.GetAsync(() => Task.FromResult(slack.Of("views.open").FirstOrDefault()), c => c is not null, "the modal");
        var view = open!.Body["view"]!.AsObject();
        var state = System.Text.Json.Nodes.JsonNode.Parse("""
            {"values":{"summary":{"value":{"type":"plain_text_input","value":"checkout is failing"}},
            "service":{"value":{"type":"static_select","selected_option":{"value":"checkout"}}},
            "impact":{"value":{"type":"static_select","selected_option":{"value":"Degraded"}}},
            "urgency":{"value":{"type":"static_select","selected_option":{"value":"Today"}}}}}
            """);
        var payload = new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "view_submission",
            ["user"] = new System.Text.Json.Nodes.JsonObject { ["id"] = "U0GUEST", ["name"] = "guest" },
            ["view"] = new System.Text.Json.Nodes.JsonObject
            {
                ["id"] = "V1", ["callback_id"] = EscalationForms.RaiseId.ToString(), ["private_metadata"] = view["private_metadata"]!.GetValue<string>(), ["state"] = state,
            },
        };
        var response = await http.SendAsync(signer.Form("/slack/interactions", [new("payload", payload.ToJsonString())]));
        Assert.Equal("", await response.Content.ReadAsStringAsync());

        var thanks = await Eventually.GetAsync(() => Task.FromResult(slack.Of("chat.postMessage").FirstOrDefault(c => c.Body.ToJsonString().Contains("Thanks for raising"))),
            c => c is not null, "the thanks");
        Assert.Equal("DU0GUEST", thanks!.Body.Str("channel"));
        Assert.Contains("not in the bot's directory", SeenMessage.ReadableText(BlockKitReader.Message(thanks.Body)));
        var stored = await host.WithDbAsync(db => db.Escalations.SingleAsync());
        Assert.Null(stored.RaisedByKey);
        Assert.Equal("guest", stored.RaisedByName);
    }
}
