using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Channels.Teams;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Features.Escalation;
using Bot.Core.Scheduling;
using Bot.Testing;
using Bot.Testing.Conformance;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;

namespace Bot.Host.Tests.Teams;

/// <summary><c>/api/messages</c> through the real host: the token check, bad input, installs, retries, identity and forms.</summary>
public sealed class TeamsEndpointTests : IAsyncLifetime
{
    private TeamsHost _teams = null!;

    public async Task InitializeAsync() => _teams = await TeamsHost.StartAsync();

    public async Task DisposeAsync() => await _teams.DisposeAsync();

    private FakeTeamsConnector Connector => _teams.Connector;

    public static TheoryData<string> BadTokens => new()
    {
        "wrong audience", "wrong issuer", "expired", "not yet valid", "unknown kid", "unsigned (alg none)", "key not endorsed for msteams",
        "serviceurl claim of another host", "no Authorization header", "a Web Chat activity with a key endorsed for Web Chat", "no channelId",
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task BadToken_Answers401_AndNothingIsProcessed(string problem)
    {
        var bad = await _teams.PersonalMessageAsync("ana", "escalate checkout is failing");
        var serviceUrl = bad.At("serviceUrl")!;
        var identity = _teams.Identity;
        var now = DateTime.UtcNow;
        var token = problem switch
        {
            "wrong audience" => identity.Mint("another-bot", serviceUrl),
            "wrong issuer" => identity.Mint(TeamsDriver.AppId, serviceUrl, issuer: "https://login.evil.example"),
            "expired" => identity.Mint(TeamsDriver.AppId, serviceUrl, notBefore: now.AddHours(-2), expires: now.AddMinutes(-6)),
            "not yet valid" => identity.Mint(TeamsDriver.AppId, serviceUrl, notBefore: now.AddMinutes(6), expires: now.AddHours(1)),
            "unknown kid" => identity.Mint(TeamsDriver.AppId, serviceUrl, key: FakeBotFrameworkIdentity.NewKey("never-published")),
            "unsigned (alg none)" => FakeBotFrameworkIdentity.Unsigned(TeamsDriver.AppId, serviceUrl),
            "key not endorsed for msteams" => identity.Mint(TeamsDriver.AppId, serviceUrl, key: identity.UnendorsedKey),
            "serviceurl claim of another host" => identity.Mint(TeamsDriver.AppId, "https://smba.trafficmanager.net/amer/"),
            "a Web Chat activity with a key endorsed for Web Chat" => identity.Mint(TeamsDriver.AppId, serviceUrl, key: identity.UnendorsedKey),
            "no channelId" => identity.Mint(TeamsDriver.AppId, serviceUrl),
            _ => null,
        };
        if (problem.StartsWith("a Web Chat", StringComparison.Ordinal)) bad["channelId"] = "webchat";
        if (problem == "no channelId") bad.Remove("channelId");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent(bad.ToJsonString(), Encoding.UTF8, "application/json") };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await _teams.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("token", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("audience", body, StringComparison.OrdinalIgnoreCase);
        // A valid activity after it is handled; the refused one left no trace.
        await HelpIsAnsweredAsync("raj");
        Assert.DoesNotContain(Connector.Calls, c => c.ConversationId == bad.At("conversation", "id"));
        Assert.Equal(0, await _teams.Host.WithDbAsync(db => db.StoredConversations.CountAsync(c => c.ConversationId == bad.At("conversation", "id"))));
    }

    [Fact]
    public async Task MalformedBody_Answers401_OrMissingConversation400_NeverA500()
    {
        var garbage = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent("{ not json", Encoding.UTF8, "application/json") };
        garbage.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _teams.Identity.Mint(TeamsDriver.AppId, Connector.ServiceUrl.AbsoluteUri));
        Assert.Equal(HttpStatusCode.Unauthorized, (await _teams.Http.SendAsync(garbage)).StatusCode);

        var noConversation = new JsonObject { ["type"] = "message", ["channelId"] = "msteams", ["serviceUrl"] = Connector.ServiceUrl.AbsoluteUri, ["text"] = "help" };
        Assert.Equal(HttpStatusCode.BadRequest, (await _teams.Driver.SendAsync(noConversation)).StatusCode);
    }

    [Fact]
    public async Task DuplicateMembers_NonObjectValues_AndMissingIds_AreClearAnswers_NeverA500()
    {
        var serviceUrl = Connector.ServiceUrl.AbsoluteUri;
        var token = _teams.Identity.Mint(TeamsDriver.AppId, serviceUrl);
        var body = "{\"type\":\"message\",\"type\":\"invoke\",\"channelId\":\"msteams\",\"serviceUrl\":\"" + serviceUrl + "\",\"id\":\"1\",\"conversation\":{\"id\":\"a:x\"}}";
        var duplicated = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        duplicated.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _teams.Http.SendAsync(duplicated)).StatusCode);

        var noId = await _teams.PersonalMessageAsync("ana", "help");
        noId.Remove("id");
        Assert.Equal(HttpStatusCode.BadRequest, (await _teams.Driver.SendAsync(noId)).StatusCode);

        foreach (var name in new[] { "adaptiveCard/action", "task/fetch", "task/submit" })
        {
            var invoke = await _teams.PersonalMessageAsync("ana", "");
            invoke["type"] = "invoke";
            invoke["name"] = name;
            invoke["value"] = "not an object";
            var response = await _teams.Driver.SendAsync(invoke);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.True(answer["statusCode"] is not null || answer["task"] is not null, answer.ToJsonString());
        }
        Assert.Equal(0, await _teams.Host.WithDbAsync(db => db.Escalations.CountAsync()));
    }

    [Fact]
    public async Task AnActivityFromATenantTheBotDoesNotServe_Answers403()
    {
        var foreign = await _teams.PersonalMessageAsync("ana", "escalate checkout is failing");
        foreign["conversation"]!["tenantId"] = "11111111-2222-3333-4444-555555555555";
        foreign["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = "11111111-2222-3333-4444-555555555555" } };
        Assert.Equal(HttpStatusCode.Forbidden, (await _teams.Driver.SendAsync(foreign)).StatusCode);
        await HelpIsAnsweredAsync("raj");
        Assert.DoesNotContain(Connector.Calls, c => c.ConversationId == foreign.At("conversation", "id"));
    }

    [Fact]
    public async Task OversizedBody_Answers413()
    {
        var big = await _teams.PersonalMessageAsync("ana", new string('x', 300 * 1024));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await _teams.Driver.SendAsync(big)).StatusCode);
    }

    [Fact]
    public async Task EndpointIsOff_WithoutAppIdAndPassword()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        await using var host = new BotAppFactory(database);
        var response = await host.CreateClient().PostAsync("/api/messages", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task RetriedActivity_IsAnsweredOnce()
    {
        // One worker: activities are handled in order, so once the probe is answered both copies were handled.
        await using var teams = await TeamsHost.StartAsync(extra: new Dictionary<string, string?> { ["Teams:Workers"] = "1" });
        var activity = await teams.PersonalMessageAsync("ana", "help");
        Assert.Equal(HttpStatusCode.OK, (await teams.Driver.SendAsync(activity)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await teams.Driver.SendAsync(activity)).StatusCode);
        var probe = await teams.PersonalMessageAsync("raj", "help");
        await teams.Driver.SendAsync(probe);
        await Eventually.TrueAsync(() => Task.FromResult(teams.Connector.Sent.Any(c => c.ActivityId == probe.At("id"))), "the answer to the probe");
        Assert.Single(teams.Connector.Sent, c => c.ActivityId == activity.At("id"));
    }

    [Fact]
    public async Task PersonalChat_SlashOrPlainCommand_OpensTheFormThere_AndUnknownTextGetsHelp()
    {
        var plain = await _teams.PersonalMessageAsync("ana", "escalate checkout is failing");
        await _teams.Driver.SendAsync(plain);
        var dm = plain.At("conversation", "id")!;
        var card = await Eventually.GetAsync(() => Task.FromResult(Connector.Sent.FirstOrDefault(c => c.ConversationId == dm && AdaptiveCardReader.Card(c.Body) is { } k && AdaptiveCardReader.Submit(k) is not null)),
            c => c is not null, "the form card in the 1:1 chat");
        Assert.Equal("checkout is failing", AdaptiveCardReader.Form(AdaptiveCardReader.Card(card!.Body)!)!.Fields.Single(f => f.Id == "summary").Initial);

        await _teams.Driver.SendAsync(await _teams.PersonalMessageAsync("ana", "hello there"));
        await Eventually.TrueAsync(() => Task.FromResult(Connector.Sent.Any(c => c.ConversationId == dm && AdaptiveCardReader.Card(c.Body) is { } k
            && SeenMessage.ReadableText(AdaptiveCardReader.Message(k)).Contains("I don't know `/hello`", StringComparison.Ordinal))), "help for unknown text");
    }

    [Fact]
    public async Task Installation_StoresTheAddress_GreetsOnce_AndUninstallMarksItInactive()
    {
        await _teams.Driver.InstallAsync();
        var again = _teams.Driver.Activity("conversationUpdate", "ana", ("6f1c0d2e-0000-4000-8000-000000000005", "Ana Souza"), TeamsDriver.GeneralChannel, "channel");
        again["membersAdded"] = new JsonArray(new JsonObject { ["id"] = "28:" + TeamsDriver.AppId });
        Assert.Equal(HttpStatusCode.OK, (await _teams.Driver.SendAsync(again)).StatusCode);
        await HelpIsAnsweredAsync("raj");

        var stored = await _teams.Host.WithDbAsync(db => db.StoredConversations.SingleAsync(c => c.ConversationId == TeamsDriver.GeneralChannel));
        Assert.True(stored.Active);
        Assert.Equal(Connector.ServiceUrl.AbsoluteUri, stored.ServiceUrl);
        Assert.Equal(TeamsDriver.Tenant, stored.TenantId);
        Assert.Equal(TeamsDriver.GeneralChannel, stored.TeamId);
        Assert.Equal(ConversationKind.Channel, stored.Kind);
        var greeting = Assert.Single(Connector.Sent, c => c.ConversationId == TeamsDriver.GeneralChannel);
        Assert.Contains("Thanks for adding me", greeting.Body!.ToJsonString());

        var remove = _teams.Driver.Activity("installationUpdate", "ana", ("6f1c0d2e-0000-4000-8000-000000000005", "Ana Souza"), TeamsDriver.GeneralChannel, "channel");
        remove["action"] = "remove";
        await _teams.Driver.SendAsync(remove);
        await Eventually.TrueAsync(() => _teams.Host.WithDbAsync(async db => !(await db.StoredConversations.SingleAsync(c => c.ConversationId == TeamsDriver.GeneralChannel)).Active), "the address marked inactive");
        var channel = _teams.Host.Get<TeamsChannel>();
        await Assert.ThrowsAsync<ChannelUnavailableException>(() => channel.PostAsync(new ConversationAddress("teams", TeamsDriver.GeneralChannel), Message.Text("hi"), CancellationToken.None));
        Assert.Single(Connector.Sent, c => c.ConversationId == TeamsDriver.GeneralChannel);
    }

    [Fact]
    public async Task AppRemovedThroughThisHost_AndReAddedThroughAnother_KeepsPosting()
    {
        await _teams.Driver.InstallAsync();
        var remove = _teams.Driver.Activity("installationUpdate", "ana", ("6f1c0d2e-0000-4000-8000-000000000005", "Ana Souza"), TeamsDriver.GeneralChannel, "channel");
        remove["action"] = "remove";
        await _teams.Driver.SendAsync(remove);
        await Eventually.TrueAsync(() => _teams.Host.WithDbAsync(async db => !(await db.StoredConversations.SingleAsync(c => c.ConversationId == TeamsDriver.GeneralChannel)).Active), "the address marked inactive");

        // Another host receives the re-install and records it; this host's memory still says "removed".
        await _teams.Host.WithDbAsync(db => db.StoredConversations.Where(c => c.ConversationId == TeamsDriver.GeneralChannel)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Active, true).SetProperty(c => c.UpdatedAt, _teams.Host.Clock.GetUtcNow().AddSeconds(1))));

        var posted = await _teams.Host.Get<TeamsChannel>().PostAsync(new ConversationAddress("teams", TeamsDriver.GeneralChannel), Message.Text("still here"), CancellationToken.None);
        Assert.Equal(TeamsDriver.GeneralChannel, posted.ConversationId);
        Assert.Contains(Connector.Sent, c => c.ConversationId == TeamsDriver.GeneralChannel && c.Body!.ToJsonString().Contains("still here"));
    }

    [Fact]
    public async Task BotRemovedFromTheTeamChannel_403IsRecorded_AndTheReminderFailsInsteadOfRetrying()
    {
        Connector.Refuse("19:payments@thread.tacv2", 403, "BotNotInConversationRoster");
        var context = new ScenarioContext(_teams.Driver, _teams.Host);
        await _teams.Driver.CommandAsync("ana", "escalate checkout is failing");
        var form = await _teams.Driver.FormAsync("ana", EscalationForms.RaiseId);
        Assert.True((await _teams.Driver.SubmitAsync("ana", form, EscalationScenarios.ValidForm())).Accepted);

        await Eventually.TrueAsync(() => _teams.Host.WithDbAsync(db => db.Reminders.AnyAsync(r => r.Kind == EscalationReminders.Post && r.Status == ReminderStatus.Failed)), "the post given up");
        var post = await _teams.Host.WithDbAsync(db => db.Reminders.SingleAsync(r => r.Kind == EscalationReminders.Post));
        Assert.Contains("403", post.LastError);
        var address = await _teams.Host.WithDbAsync(db => db.StoredConversations.SingleAsync(c => c.ConversationId == "19:payments@thread.tacv2"));
        Assert.Equal("403 BotNotInConversationRoster", address.Unavailable);

        var attempts = Connector.Calls.Count(c => c.ConversationId == "19:payments@thread.tacv2");
        await context.PassTimeAsync(TimeSpan.FromMinutes(10));
        Assert.Equal(attempts, Connector.Calls.Count(c => c.ConversationId == "19:payments@thread.tacv2"));
        // The page still reached the on-call: one refused conversation does not stop the rest.
        await _teams.Driver.DirectMessageAsync("bea", m => m.Text.Contains("You're paged"), "the page to Bea");
    }

    [Theory]
    [InlineData("personal")]
    [InlineData("channel")]
    public async Task UserNotInTheDirectoryById_IsLinkedByTheEmailTeamsReports(string where)
    {
        await _teams.Host.WithDbAsync(async db =>
        {
            var ana = (await db.People.FindAsync("ana"))!;
            ana.Identities.RemoveAll(i => i.Channel == "teams");
            return await db.SaveChangesAsync();
        });
        _teams.Host.Get<Bot.Core.Directory.DirectoryCache>().Invalidate();
        const string newAad = "a4b9c2d1-1111-4222-8333-944455556666";
        Connector.Members["29:ana"] = (newAad, "Ana Souza", "Ana@Example.com");
        var activity = where == "personal"
            ? _teams.Driver.Activity("message", "ana", (newAad, "Ana Souza"), "a:dm-" + newAad, "personal")
            : _teams.Driver.Activity("message", "ana", (newAad, "Ana Souza"), TeamsDriver.GeneralChannel + ";messageid=9001", "channel", "9001");
        activity["text"] = "escalate checkout is failing";
        await _teams.Driver.SendAsync(activity);

        await Eventually.TrueAsync(() => _teams.Host.WithDbAsync(async db => (await db.People.AsNoTracking().SingleAsync(p => p.Key == "ana")).IdentityOn("teams") == newAad), "Ana linked by email");
        // Looked up in the team (or the 1:1 chat), not in the channel thread.
        Assert.Contains(Connector.Calls, c => c.Method == "GET" && c.Status == 200 && c.Path.EndsWith("/members/29:ana", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InAChannel_TheFormOpensInADialog_OnlyForItsOwner_AndIsSentOnce()
    {
        await _teams.Driver.CommandAsync("ana", "escalate checkout is failing");
        var launcherCall = await Eventually.GetAsync(() => Task.FromResult(Connector.Sent.FirstOrDefault(c =>
            AdaptiveCardReader.Card(c.Body) is { } k && AdaptiveCardReader.DialogLauncher(k) is not null)), c => c is not null, "the button that opens the form");
        var launcher = AdaptiveCardReader.DialogLauncher(AdaptiveCardReader.Card(launcherCall!.Body)!)!;
        var (conversation, activityId) = (launcherCall.ConversationId!, launcherCall.Reply.At("id")!);
        Assert.Null(AdaptiveCardReader.Submit(AdaptiveCardReader.Card(launcherCall.Body)!));

        var stranger = await _teams.Driver.InvokeAsync("kim", conversation, activityId, "task/fetch", launcher["data"]!.DeepClone().AsObject());
        Assert.Equal("message", stranger.At("task", "type"));
        Assert.Contains("belongs to the person who opened it", stranger.At("task", "value"));

        var opened = await _teams.Driver.InvokeAsync("ana", conversation, activityId, "task/fetch", launcher["data"]!.DeepClone().AsObject());
        Assert.Equal("continue", opened.At("task", "type"));
        var dialogCard = opened["task"]!["value"]!["card"]!["content"]!.AsObject();
        Assert.Equal("checkout is failing", AdaptiveCardReader.Form(dialogCard)!.Fields.Single(f => f.Id == "summary").Initial);
        var data = AdaptiveCardReader.Submit(dialogCard)!["data"]!.AsObject();
        foreach (var (key, value) in EscalationScenarios.ValidForm()) data[key] = value;

        var kimSubmits = await _teams.Driver.InvokeAsync("kim", conversation, activityId, "task/submit", data.DeepClone().AsObject());
        Assert.Contains("belongs to the person who opened it", kimSubmits.At("task", "value"));
        Assert.Equal(0, await _teams.Host.WithDbAsync(db => db.Escalations.CountAsync()));

        var both = await Task.WhenAll(
            _teams.Driver.InvokeAsync("ana", conversation, activityId, "task/submit", data.DeepClone().AsObject()),
            _teams.Driver.InvokeAsync("ana", conversation, activityId, "task/submit", data.DeepClone().AsObject()));
        Assert.Single(both, a => a.At("task", "value")!.StartsWith("Thanks, Ana Souza", StringComparison.Ordinal));
        Assert.Single(both, a => a.At("task", "value") == "This form was already submitted.");
        Assert.Equal(1, await _teams.Host.WithDbAsync(db => db.Escalations.CountAsync()));
        // The button is closed for everyone, and the dialog does not open again.
        Assert.Contains(Connector.Sent, c => c.Method == "PUT" && c.ActivityId == activityId && c.Body!.ToJsonString().Contains("This form is closed"));
        var reopened = await _teams.Driver.InvokeAsync("ana", conversation, activityId, "task/fetch", launcher["data"]!.DeepClone().AsObject());
        Assert.Equal("This form was already submitted.", reopened.At("task", "value"));
    }

    [Fact]
    public async Task InThe1to1Chat_TheFormIsACard_AndADoubleSubmitRaisesOneEscalation()
    {
        var command = await _teams.PersonalMessageAsync("ana", "/escalate checkout is failing");
        await _teams.Driver.SendAsync(command);
        var dm = command.At("conversation", "id")!;
        var call = await Eventually.GetAsync(() => Task.FromResult(Connector.Sent.FirstOrDefault(c => c.ConversationId == dm
            && AdaptiveCardReader.Card(c.Body) is { } k && AdaptiveCardReader.Submit(k) is not null)), c => c is not null, "the form card");
        var data = AdaptiveCardReader.Submit(AdaptiveCardReader.Card(call!.Body)!)!["data"]!.AsObject();
        foreach (var (key, value) in EscalationScenarios.ValidForm()) data[key] = value;
        var activityId = call.Reply.At("id")!;

        var both = await Task.WhenAll(
            _teams.Driver.InvokeAsync("ana", dm, activityId, AdaptiveCards.SubmitVerb, data.DeepClone().AsObject()),
            _teams.Driver.InvokeAsync("ana", dm, activityId, AdaptiveCards.SubmitVerb, data.DeepClone().AsObject()));
        Assert.Single(both, a => a.At("type") == AdaptiveCards.ContentType);
        Assert.Single(both, a => a.At("value") == "This form was already submitted.");
        Assert.Equal(1, await _teams.Host.WithDbAsync(db => db.Escalations.CountAsync()));
        Assert.Contains(Connector.Sent, c => c.Method == "PUT" && c.ActivityId == activityId && c.Body!.ToJsonString().Contains("This form is closed"));
    }

    [Fact]
    public async Task ActionSubmitFallback_AsAMessageWithValue_PressesTheButton()
    {
        var posted = await EscalationScenarios.RaiseAsync(new ScenarioContext(_teams.Driver, _teams.Host));
        var (conversation, activityId) = (posted.Id[..posted.Id.LastIndexOf('|')], posted.Id[(posted.Id.LastIndexOf('|') + 1)..]);
        var button = posted.Button(EscalationMessages.Acknowledge);
        var bea = await _teams.Host.WithDbAsync(async db => (await db.People.FindAsync("bea"))!);
        var submit = _teams.Driver.Activity("message", "bea", (bea.IdentityOn("teams")!, bea.Name), $"{conversation};messageid={activityId}", "channel");
        submit["replyToId"] = activityId;
        submit["value"] = _teams.Driver.ButtonData(button.ActionId.ToString(), button.Value, posted.Id[..posted.Id.LastIndexOf('|')]);
        Assert.Equal(HttpStatusCode.OK, (await _teams.Driver.SendAsync(submit)).StatusCode);
        await _teams.Driver.TeamMessageAsync("payments", m => m.Id == posted.Id && m.Text.Contains("Acknowledged by Bea Okafor"), "the acknowledged card");
    }

    [Theory]
    [InlineData("a changed value")]
    [InlineData("no seal")]
    [InlineData("a verb alone")]
    [InlineData("sent back from another conversation")]
    public async Task AButtonWhoseDataWasChangedOnItsWay_IsRefused_AndChangesNothing(string forgery)
    {
        var posted = await EscalationScenarios.RaiseAsync(new ScenarioContext(_teams.Driver, _teams.Host));
        var (conversation, activityId) = (posted.Id[..posted.Id.LastIndexOf('|')], posted.Id[(posted.Id.LastIndexOf('|') + 1)..]);
        var button = posted.Button(EscalationMessages.Acknowledge);
        var data = _teams.Driver.ButtonData(button.ActionId.ToString(), button.Value, conversation);
        switch (forgery)
        {
            case "a changed value": data["value"] = "999"; break;
            case "no seal": data.Remove(TeamsCardSeal.Field); break;
            // The card's own data, untouched, copied into a conversation it was never sent to.
            case "sent back from another conversation": conversation = "19:elsewhere@thread.tacv2"; break;
            default: data = []; break;
        }

        var answer = await _teams.Driver.InvokeAsync("bea", $"{conversation};messageid={activityId}", activityId, EscalationMessages.Acknowledge.ToString(), data);
        Assert.Contains("was not sent by me", answer.At("value"));
        Assert.Equal(EscalationStatus.Open, await _teams.Host.WithDbAsync(db => db.Escalations.Select(e => e.Status).SingleAsync()));

        // The button as sent still works.
        await _teams.Driver.ClickAsync("bea", posted, EscalationMessages.Acknowledge);
        Assert.Equal(EscalationStatus.Acknowledged, await _teams.Host.WithDbAsync(db => db.Escalations.Select(e => e.Status).SingleAsync()));
    }

    [Fact]
    public async Task AFormWhoseOwnerWasChanged_IsRefused()
    {
        await _teams.Driver.CommandAsync("ana", "escalate checkout is failing");
        var form = await _teams.Driver.FormAsync("ana", EscalationForms.RaiseId);
        var sent = Connector.Sent.Last(c => c.Body!.ToJsonString().Contains(EscalationForms.RaiseId.ToString()));
        var launcher = AdaptiveCardReader.DialogLauncher(AdaptiveCardReader.Card(sent.Body)!) ?? AdaptiveCardReader.Submit(AdaptiveCardReader.Card(sent.Body)!)!;
        var data = launcher["data"]!.DeepClone().AsObject();
        // Raj takes Ana's form as his own by rewriting its owner.
        var raj = await _teams.Host.WithDbAsync(async db => (await db.People.FindAsync("raj"))!);
        data["context"]!["owner"] = raj.IdentityOn("teams");
        foreach (var (key, value) in EscalationScenarios.ValidForm()) data[key] = value ?? "";
        var answer = await _teams.Driver.InvokeAsync("raj", sent.ConversationId!, sent.Reply.At("id")!, AdaptiveCards.SubmitVerb, data);
        Assert.Contains("was not sent by me", answer.ToJsonString());
        Assert.Equal(0, await _teams.Host.WithDbAsync(db => db.Escalations.CountAsync()));
        Assert.NotNull(form);
    }

    private async Task HelpIsAnsweredAsync(string person)
    {
        var probe = await _teams.PersonalMessageAsync(person, "help");
        Assert.Equal(HttpStatusCode.OK, (await _teams.Driver.SendAsync(probe)).StatusCode);
        await Eventually.TrueAsync(() => Task.FromResult(Connector.Sent.Any(c => c.ActivityId == probe.At("id"))), $"the answer to {person}'s help");
    }
}
