using Bot.Channels.Slack;
using Bot.Core.Features.Escalation;
using Bot.Core.Features.Experiments;
using Bot.Testing;
using Bot.Testing.Conformance;
using Microsoft.EntityFrameworkCore;

namespace Bot.Host.Tests.Slack;

/// <summary>
/// "Escalate this message" and the other shortcuts, through the real endpoints: the form opens prefilled with the
/// message and a link back to it, the card links to the message, and the message's thread hears where help was asked, once.
/// </summary>
public abstract class SlackShortcutTests(TestProvider provider) : IAsyncLifetime
{
    private const string MessageTs = "1700000100.000100";
    private FakeSlackApi _slack = null!;
    private TestDatabase _database = null!;
    private BotAppFactory _host = null!;
    private SlackDriver _driver = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackApi.StartAsync();
        _database = await TestDatabase.CreateAsync(provider);
        _host = new BotAppFactory(_database, SlackDriver.Settings(_slack));
        _driver = new SlackDriver(_host, _host.CreateClient(), _slack);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task EscalateThisMessage_OpensThePrefilledForm_TheCardLinksBack_AndTheThreadHearsOnce()
    {
        await _driver.MessageShortcutAsync("ana", "escalate_message", SlackDriver.GeneralChannel, MessageTs,
            // Slack escapes what people type; a real mention stays markup.
            "is checkout slow for anyone? <@U0BEA00002> " + SlackBlockKit.Escape(SampleMessages.Hostile));
        var form = await _driver.FormAsync("ana", EscalationForms.RaiseId);
        Assert.Equal("is checkout slow for anyone? @U0BEA00002 " + SampleMessages.Hostile, form.Field("summary").Initial);
        var permalink = $"https://example.slack.com/archives/{SlackDriver.GeneralChannel}/p1700000100000100";
        Assert.Contains(permalink, form.Form.PrivateState);

        var outcome = await _driver.SubmitAsync("ana", form, EscalationScenarios.ValidForm());
        Assert.True(outcome.Accepted);
        var card = await _driver.TeamMessageAsync("payments", m => m.Text.Contains("🚨 Escalation #"), "the escalation card");
        var original = Assert.Single(card.Buttons, b => b.Label == "Original message");
        Assert.Equal(permalink, original.Url);

        var reply = await Eventually.GetAsync(() => Task.FromResult(_slack.Of("chat.postMessage").Where(c => c.Body.Str("thread_ts") == MessageTs).ToList()),
            r => r.Count > 0, "the reply in the message's thread");
        var posted = Assert.Single(reply);
        Assert.Equal(SlackDriver.GeneralChannel, posted.Body.Str("channel"));
        Assert.Contains("asked *Payments* for help about this message", posted.Body["blocks"]!.ToJsonString());
        var escalation = await _host.WithDbAsync(db => db.Escalations.SingleAsync());
        Assert.Equal((permalink, $"{SlackDriver.GeneralChannel}:{MessageTs}"), (escalation.SourceUrl, escalation.SourceThread));

        // Later reminders and refreshes never post in the thread again.
        await new ScenarioContext(_driver, _host).PassTimeAsync(TimeSpan.FromMinutes(2));
        await new ScenarioContext(_driver, _host).PassTimeAsync(TimeSpan.FromSeconds(1));
        Assert.Single(_slack.Of("chat.postMessage"), c => c.Body.Str("thread_ts") == MessageTs);
    }

    [Fact]
    public async Task AMessageInAThread_IsAnsweredInThatThread()
    {
        await _driver.MessageShortcutAsync("ana", "escalate_message", SlackDriver.GeneralChannel, "1700000200.000200", "checkout 500s again", threadTs: MessageTs);
        var form = await _driver.FormAsync("ana", EscalationForms.RaiseId);
        Assert.True((await _driver.SubmitAsync("ana", form, EscalationScenarios.ValidForm())).Accepted);
        await Eventually.TrueAsync(() => Task.FromResult(_slack.Of("chat.postMessage").Any(c => c.Body.Str("thread_ts") == MessageTs)), "the reply in the thread");
    }

    [Fact]
    public async Task TheGlobalShortcut_OpensTheEmptyForm()
    {
        await _driver.GlobalShortcutAsync("ana", "escalate");
        var form = await _driver.FormAsync("ana", EscalationForms.RaiseId);
        Assert.Null(form.Field("summary").Initial);
        Assert.Null(form.Form.PrivateState is { } state && state.Contains("\"u\"", StringComparison.Ordinal) ? state : null);
    }

    [Fact]
    public async Task ProposeAnExperimentFromAMessage_TakesItsFirstLineAsTitle_AndLinksBack()
    {
        await _driver.MessageShortcutAsync("ana", "propose_experiment_message", SlackDriver.GeneralChannel, MessageTs,
            "What if config deploys went through a canary stage?\nWe broke checkout twice this month with config.");
        var form = await _driver.FormAsync("ana", ExperimentForms.ProposeId);
        Assert.Equal("What if config deploys went through a canary stage?", form.Field("title").Initial);
        Assert.Equal($"https://example.slack.com/archives/{SlackDriver.GeneralChannel}/p1700000100000100", form.Field("link").Initial);
    }

    [Fact]
    public async Task AForgedSourceInTheFormState_IsNotTrusted()
    {
        await _driver.MessageShortcutAsync("ana", "escalate_message", SlackDriver.GeneralChannel, MessageTs, "checkout is failing");
        var form = await _driver.FormAsync("ana", EscalationForms.RaiseId);
        var forged = form with
        {
            Form = form.Form with { PrivateState = form.Form.PrivateState!.Replace("https://example.slack.com", "javascript://example.slack.com", StringComparison.Ordinal) },
        };
        Assert.True((await _driver.SubmitAsync("ana", forged, EscalationScenarios.ValidForm())).Accepted);
        var card = await _driver.TeamMessageAsync("payments", m => m.Text.Contains("🚨 Escalation #"), "the escalation card");
        Assert.DoesNotContain(card.Buttons, b => b.Label == "Original message");
        Assert.Null((await _host.WithDbAsync(db => db.Escalations.SingleAsync())).SourceUrl);
    }
}

public sealed class SlackShortcutsOnSqlite() : SlackShortcutTests(TestProvider.Sqlite);

public sealed class SlackShortcutsOnPostgres() : SlackShortcutTests(TestProvider.Postgres);
