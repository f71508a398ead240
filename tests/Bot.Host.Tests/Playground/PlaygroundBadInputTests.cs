using System.Net;
using System.Net.Http.Json;
using System.Text;
using Bot.Channels.Playground;
using Bot.Core.Conversation;
using Bot.Core.Features.Escalation;
using Bot.Testing;
using Bot.Testing.Conformance;
using Microsoft.EntityFrameworkCore;

namespace Bot.Host.Tests.Playground;

/// <summary>Bad requests get a clear 4xx with a ProblemDetails body, never a 500, and nothing is stored half-way.</summary>
public sealed class PlaygroundBadInputTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private BotAppFactory _host = null!;
    private PlaygroundClient _client = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        _host = new BotAppFactory(_database);
        _client = _host.Playground();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2,3]")]
    [InlineData("")]
    public async Task MalformedJson_Answers400(string body)
    {
        var response = await _client.Http.PostAsync("/playground/api/messages", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await _host.WithDbAsync(db => db.ConversationEntries.CountAsync()));
    }

    [Fact]
    public async Task OversizedBody_Answers413()
    {
        var text = new string('x', PlaygroundEndpoints.MaxBodyBytes + 1);
        var response = await _client.SendAsync("ana", "#general", text);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await _host.WithDbAsync(db => db.ConversationEntries.CountAsync()));
    }

    [Fact]
    public async Task UnknownPerson_Answers400_NamingThePerson()
    {
        var response = await _client.SendAsync("mallory", "#general", "/escalate");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("mallory", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SomeoneElsesDirectMessages_AreNotVisible()
    {
        var response = await _client.Http.GetAsync("/playground/api/entries?as=ana&conversation=dm:bea");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task EmptyMessage_Answers400()
    {
        var response = await _client.SendAsync("ana", "#general", "   ");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ButtonThatIsNotOnTheMessage_Answers400_AndChangesNothing()
    {
        var s = new ScenarioContext(new PlaygroundDriver(_client), _host);
        var posted = await EscalationScenarios.RaiseAsync(s);
        var response = await _client.Http.PostAsJsonAsync("/playground/api/actions",
            new ActionRequest("bea", long.Parse(posted.Id, System.Globalization.CultureInfo.InvariantCulture), EscalationMessages.Acknowledge.ToString(), "999999"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(EscalationStatus.Open, (await _host.WithDbAsync(db => db.Escalations.SingleAsync())).Status);
    }

    [Fact]
    public async Task MessageThatDoesNotExist_Answers404()
    {
        var response = await _client.Http.PostAsJsonAsync("/playground/api/actions", new ActionRequest("bea", 424242, EscalationMessages.Acknowledge.ToString(), "1"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task SubmittingTheSameFormTwice_CreatesOneEscalation_AndAnswers409()
    {
        var driver = new PlaygroundDriver(_client);
        await driver.CommandAsync("ana", "/escalate checkout is failing");
        var form = await driver.FormAsync("ana", EscalationForms.RaiseId);
        var id = long.Parse(form.Id, System.Globalization.CultureInfo.InvariantCulture);

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => _client.SubmitAsync("ana", id, EscalationScenarios.ValidForm())));
        Assert.Single(results, r => r.Status == HttpStatusCode.OK);
        Assert.All(results.Where(r => r.Status != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.Status));
        Assert.Equal(1, await _host.WithDbAsync(db => db.Escalations.CountAsync()));
    }

    [Fact]
    public async Task SomeoneElsesForm_CannotBeSubmitted()
    {
        var driver = new PlaygroundDriver(_client);
        await driver.CommandAsync("ana", "/escalate");
        var form = await driver.FormAsync("ana", EscalationForms.RaiseId);
        var (status, _) = await _client.SubmitAsync("bea", long.Parse(form.Id, System.Globalization.CultureInfo.InvariantCulture), EscalationScenarios.ValidForm());
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(0, await _host.WithDbAsync(db => db.Escalations.CountAsync()));
    }

    [Fact]
    public async Task InvalidChoices_AreErrorsBesideTheirFields()
    {
        var driver = new PlaygroundDriver(_client);
        await driver.CommandAsync("ana", "/escalate");
        var form = await driver.FormAsync("ana", EscalationForms.RaiseId);
        var values = EscalationScenarios.ValidForm();
        values["impact"] = "3";
        values["urgency"] = "Whenever";
        values["service"] = "no-such-service";
        var outcome = await driver.SubmitAsync("ana", form, values);
        Assert.False(outcome.Accepted);
        Assert.Equal(["impact", "service", "urgency"], outcome.Errors.Keys.Order());
        Assert.Equal(0, await _host.WithDbAsync(db => db.Escalations.CountAsync()));
    }
}
