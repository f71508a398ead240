using System.Net;
using System.Text.Json.Nodes;
using Bot.Channels.Teams;
using Bot.Core.Directory;
using Bot.Core.Features.Escalation;
using Bot.Testing;
using Bot.Testing.Conformance;
using Microsoft.EntityFrameworkCore;

namespace Bot.Host.Tests.Teams;

/// <summary>
/// The Teams story through the real host and a loopback Bot Connector: escalate in a channel, fill the form dialog,
/// the team's channel card and a proactive 1:1 page appear, Bea acknowledges on the card and gets the updated card
/// back, and the channel card changes for everyone. Tokens go only to allowed service URLs.
/// </summary>
public abstract class TeamsEndToEndTests(TestProvider provider)
{
    [Fact]
    public async Task Escalate_Form_ChannelCard_ProactivePage_Acknowledge_UpdatedCard()
    {
        await using var teams = await TeamsHost.StartAsync(provider);
        var driver = teams.Driver;
        var connector = teams.Connector;

        await driver.CommandAsync("ana", "escalate checkout is failing");
        var form = await driver.FormAsync("ana", EscalationForms.RaiseId);
        Assert.Equal("checkout is failing", form.Field("summary").Initial);
        var submitted = await driver.SubmitAsync("ana", form, EscalationScenarios.ValidForm());
        Assert.True(submitted.Accepted);
        // In a channel the form was a dialog (task/fetch, then task/submit), closed with a short thank-you.
        Assert.Equal(["task/fetch", "task/submit"], driver.Invokes);
        Assert.StartsWith("Thanks, Ana Souza", driver.Answers.Last().At("task", "value"));
        Assert.Contains(connector.Sent, c => c.Method == "PUT" && c.Body!.ToJsonString().Contains("This form is closed"));

        var card = await driver.TeamMessageAsync("payments", m => m.Text.Contains("Checkout fails for card payments"), "the channel card");
        Assert.Contains("Paging Primary on-call (Bea Okafor)", card.Text);

        // Proactive 1:1: create the conversation with Bea (tenant and user), then send the page into it.
        var bea = await teams.Host.WithDbAsync(async db => (await db.People.FindAsync("bea"))!);
        await driver.DirectMessageAsync("bea", m => m.Text.Contains("You're paged"), "the page to Bea");
        var calls = connector.Calls.ToList();
        var create = calls.FindIndex(c => c.Method == "POST" && c.Path == "/v3/conversations" && c.Body?["members"]?[0].At("id") == bea.IdentityOn("teams"));
        Assert.True(create >= 0, "no conversation was created with Bea");
        Assert.Equal(TeamsDriver.Tenant, calls[create].Body.At("tenantId"));
        Assert.Equal("28:" + TeamsDriver.AppId, calls[create].Body.At("bot", "id"));
        var send = calls.FindIndex(c => c.Method == "POST" && c.ConversationId == connector.DirectConversation(bea.IdentityOn("teams")!) && c.ActivityId is null);
        Assert.True(send > create, "the page was sent before the conversation existed");

        await driver.ClickAsync("bea", card, EscalationMessages.Acknowledge);
        var answer = driver.Answers.Last();
        Assert.Equal(200, answer["statusCode"]!.GetValue<int>());
        Assert.Equal(AdaptiveCards.ContentType, answer.At("type"));
        var answered = AdaptiveCardReader.Message(answer["value"]!.AsObject());
        Assert.Contains("Acknowledged by Bea Okafor", SeenMessage.ReadableText(answered));
        Assert.DoesNotContain(answered.Blocks.OfType<Bot.Core.Conversation.ButtonsBlock>().SelectMany(b => b.Buttons), b => b.ActionId == EscalationMessages.Acknowledge);
        await driver.TeamMessageAsync("payments", m => m.Id == card.Id && m.Text.Contains("Acknowledged by Bea Okafor"), "the channel card updated for everyone");
        Assert.Equal(EscalationStatus.Acknowledged, (await teams.Host.WithDbAsync(db => db.Escalations.SingleAsync())).Status);

        // Outbound auth: one client-credentials token, sent on every connector call.
        var token = Assert.Single(connector.TokenRequests);
        Assert.Equal("client_credentials", token["grant_type"]);
        Assert.Equal(TeamsDriver.AppId, token["client_id"]);
        Assert.Equal("https://api.botframework.com/.default", token["scope"]);
        Assert.All(connector.Calls, c => Assert.Equal("Bearer " + FakeTeamsConnector.BotToken, c.Authorization));
        Assert.Empty(connector.SchemaViolations);
    }

    [Fact]
    public async Task ReplyToAServiceUrlHostNotOnTheAllowList_IsRefused()
    {
        // One worker, so activities are handled in the order they arrive.
        await using var teams = await TeamsHost.StartAsync(provider, new Dictionary<string, string?> { ["Teams:Workers"] = "1" });
        var elsewhere = await teams.PersonalMessageAsync("ana", "help");
        // Same fake server, reached by a name that is not on Teams:AllowedServiceUrlHosts; the token names it, so it passes the inbound check.
        elsewhere["serviceUrl"] = new UriBuilder(teams.Connector.ServiceUrl) { Host = "localhost" }.Uri.AbsoluteUri;
        Assert.Equal(HttpStatusCode.OK, (await teams.Driver.SendAsync(elsewhere)).StatusCode);

        var allowed = await teams.PersonalMessageAsync("raj", "help");
        await teams.Driver.SendAsync(allowed);
        await Eventually.TrueAsync(() => Task.FromResult(teams.Connector.Sent.Any(c => c.ActivityId == allowed.At("id"))), "the reply to the allowed host");
        Assert.DoesNotContain(teams.Connector.Calls, c => c.Host == "localhost");
    }
}

public sealed class TeamsEndToEndOnSqlite() : TeamsEndToEndTests(TestProvider.Sqlite);

public sealed class TeamsEndToEndOnPostgres() : TeamsEndToEndTests(TestProvider.Postgres);
