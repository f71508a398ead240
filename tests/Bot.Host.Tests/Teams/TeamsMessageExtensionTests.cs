using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bot.Channels.Teams;
using Bot.Core.Features.Escalation;
using Bot.Testing;
using Bot.Testing.Conformance;
using Microsoft.EntityFrameworkCore;

namespace Bot.Host.Tests.Teams;

/// <summary>
/// "Escalate this message" from a Teams message's <i>More actions</i> menu, through the real endpoint with a valid token:
/// the dialog opens prefilled, the escalation is raised, its card links back, and the message's thread hears it once.
/// </summary>
public abstract class TeamsMessageExtensionTests(TestProvider provider) : IAsyncLifetime
{
    private const string MessageId = "1700000000123";
    private const string Thread = TeamsDriver.GeneralChannel + ";messageid=" + MessageId;
    private const string Link = "https://teams.microsoft.com/l/message/19:general@thread.tacv2/1700000000123?tenantId=" + TeamsDriver.Tenant;
    private TeamsHost _teams = null!;

    public async Task InitializeAsync()
    {
        _teams = await TeamsHost.StartAsync(provider);
        await _teams.Driver.InstallAsync();
    }

    public async Task DisposeAsync() => await _teams.DisposeAsync();

    private static JsonObject Message(string html) => new()
    {
        ["id"] = MessageId, ["messageType"] = "message", ["createdDateTime"] = "2026-11-23T09:58:00Z", ["linkToMessage"] = Link,
        ["from"] = new JsonObject { ["user"] = new JsonObject { ["id"] = "6f1c0d2e-0000-4000-8000-000000000006", ["displayName"] = "Mia" } },
        ["body"] = new JsonObject { ["contentType"] = "html", ["content"] = html },
    };

    private async Task<JsonObject> AnswerAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    [Fact]
    public async Task FetchTask_OpensThePrefilledDialog_SubmitAction_RaisesIt_TheCardLinksBack_AndTheThreadHearsOnce()
    {
        var message = Message("<p>Is checkout slow for anyone?</p><p>p99 &gt; 4&nbsp;s since 09:50 &amp; rising</p>");
        var fetched = await AnswerAsync(await _teams.Driver.MessageActionAsync("ana", "composeExtension/fetchTask", "escalateMessage", TeamsDriver.GeneralChannel, message));
        Assert.Equal("continue", fetched.At("task", "type"));
        var dialog = fetched["task"]!["value"]!["card"]!["content"]!.AsObject();
        _teams.Connector.CheckCard(dialog, "the escalation dialog");
        Assert.Equal("Is checkout slow for anyone?\np99 > 4 s since 09:50 & rising", AdaptiveCardReader.Form(dialog)!.Fields.Single(f => f.Id == "summary").Initial);

        var data = AdaptiveCardReader.Submit(dialog)!["data"]!.AsObject();
        foreach (var (key, value) in EscalationScenarios.ValidForm()) data[key] = value;
        var submitted = await AnswerAsync(await _teams.Driver.MessageActionAsync("ana", "composeExtension/submitAction", "escalateMessage",
            TeamsDriver.GeneralChannel, message, data.DeepClone().AsObject()));
        Assert.StartsWith("Thanks, Ana Souza", submitted.At("task", "value"));

        var escalation = await _teams.Host.WithDbAsync(db => db.Escalations.SingleAsync());
        Assert.Equal((Link, Thread), (escalation.SourceUrl, escalation.SourceThread));
        var card = await _teams.Driver.TeamMessageAsync("payments", m => m.Text.Contains("🚨 Escalation #"), "the escalation card");
        Assert.Equal(Link, Assert.Single(card.Buttons, b => b.Label == "Original message").Url);
        await Eventually.TrueAsync(() => Task.FromResult(_teams.Connector.Sent.Any(c => c.ConversationId == Thread)), "the reply in the message's thread");
        var reply = Assert.Single(_teams.Connector.Sent, c => c.ConversationId == Thread);
        Assert.Contains("for help about this message", reply.Body!.ToJsonString());

        // The same dialog sent again is refused; the thread hears nothing more.
        var again = await AnswerAsync(await _teams.Driver.MessageActionAsync("ana", "composeExtension/submitAction", "escalateMessage",
            TeamsDriver.GeneralChannel, message, data.DeepClone().AsObject()));
        Assert.Equal("This form was already submitted.", again.At("task", "value"));
        await new ScenarioContext(_teams.Driver, _teams.Host).PassTimeAsync(TimeSpan.FromMinutes(1));
        Assert.Single(_teams.Connector.Sent, c => c.ConversationId == Thread);
        Assert.Equal(1, await _teams.Host.WithDbAsync(db => db.Escalations.CountAsync()));
    }

    [Fact]
    public async Task ASubmitWhoseDataWasChanged_OrAnUnknownCommand_IsRefused()
    {
        var message = Message("checkout is failing");
        var fetched = await AnswerAsync(await _teams.Driver.MessageActionAsync("ana", "composeExtension/fetchTask", "escalateMessage", TeamsDriver.GeneralChannel, message));
        var data = AdaptiveCardReader.Submit(fetched["task"]!["value"]!["card"]!["content"]!.AsObject())!["data"]!.AsObject();
        foreach (var (key, value) in EscalationScenarios.ValidForm()) data[key] = value;
        data["state"] = """{"u":"https://evil.example/","t":"19:other@thread.tacv2"}""";
        var forged = await AnswerAsync(await _teams.Driver.MessageActionAsync("ana", "composeExtension/submitAction", "escalateMessage",
            TeamsDriver.GeneralChannel, message, data.DeepClone().AsObject()));
        Assert.Contains("was not sent by me", forged.At("task", "value"));

        var unknown = await AnswerAsync(await _teams.Driver.MessageActionAsync("ana", "composeExtension/fetchTask", "deleteEverything", TeamsDriver.GeneralChannel, message));
        Assert.Equal("That action is not one of mine.", unknown.At("task", "value"));
        Assert.Equal(0, await _teams.Host.WithDbAsync(db => db.Escalations.CountAsync()));
    }

    [Fact]
    public async Task Help_ListsTheMessageActions()
    {
        var help = await _teams.PersonalMessageAsync("ana", "help");
        Assert.Equal(HttpStatusCode.OK, (await _teams.Driver.SendAsync(help)).StatusCode);
        await Eventually.TrueAsync(() => Task.FromResult(_teams.Connector.Sent.Any(c => c.Body!.ToJsonString().Contains("Escalate this message"))), "the help naming the message actions");
    }

    [Fact]
    public async Task AForgedToken_Is401_AndAForeignTenant_Is403()
    {
        var message = Message("checkout is failing");
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendWithAForgedTokenAsync()).StatusCode);

        var foreign = await _teams.Driver.MessageActionAsync("ana", "composeExtension/fetchTask", "escalateMessage", TeamsDriver.GeneralChannel, message, alter: a =>
        {
            a["conversation"]!["tenantId"] = "11111111-2222-3333-4444-555555555555";
            a["channelData"]!["tenant"]!["id"] = "11111111-2222-3333-4444-555555555555";
        });
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
    }

    private async Task<HttpResponseMessage> SendWithAForgedTokenAsync()
    {
        var activity = _teams.Driver.Activity("invoke", "ana", ("6f1c0d2e-0000-4000-8000-000000000005", "Ana Souza"), TeamsDriver.GeneralChannel, "channel");
        activity["name"] = "composeExtension/fetchTask";
        activity["value"] = new JsonObject { ["commandId"] = "escalateMessage", ["commandContext"] = "message", ["messagePayload"] = Message("x") };
        return await _teams.Driver.SendAsync(activity, token: "not-a-token");
    }
}

public sealed class TeamsMessageExtensionOnSqlite() : TeamsMessageExtensionTests(TestProvider.Sqlite);

public sealed class TeamsMessageExtensionOnPostgres() : TeamsMessageExtensionTests(TestProvider.Postgres);
