using Bot.Core.Features.Escalation;
using Bot.Core.Scheduling;
using Bot.Testing;
using Bot.Testing.Conformance;
using Microsoft.EntityFrameworkCore;

namespace Bot.Host.Tests.Escalation;

/// <summary>The whole story through the playground's HTTP API: raise, nobody answers, re-escalation, acknowledge, resolve.</summary>
public abstract class EscalationEndToEndTests(TestProvider provider)
{
    [Fact]
    public async Task Escalation_FromFormToResolution_EveryStepLandsInTheTimeline()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var host = new BotAppFactory(database);
        var s = new ScenarioContext(new PlaygroundDriver(host.Playground()), host);

        var posted = await EscalationScenarios.RaiseAsync(s);
        await s.Driver.DirectMessageAsync("bea", m => m.Text.Contains("You're paged (Primary on-call)"), "the page to Bea");

        await s.PassTimeAsync(TimeSpan.FromMinutes(10));
        var page = await s.Driver.DirectMessageAsync("kim", m => m.Text.Contains("You're paged (Secondary on-call)"), "the page to Kim");
        await s.Driver.ClickAsync("kim", page, EscalationMessages.Acknowledge);
        var acknowledged = await s.Driver.TeamMessageAsync("payments", m => m.Id == posted.Id && m.Text.Contains("Acknowledged by Kim Laine"), "the acknowledged message");
        Assert.Contains("Status: Acknowledged by Kim Laine", acknowledged.Text);

        await s.PassTimeAsync(TimeSpan.FromHours(5));
        Assert.Empty(await s.Driver.DirectMessagesAsync("lee"));

        await s.Driver.ClickAsync("kim", acknowledged, EscalationMessages.Resolve);
        var form = await s.Driver.FormAsync("kim", EscalationForms.ResolveId);
        Assert.True((await s.Driver.SubmitAsync("kim", form, new Dictionary<string, string?> { ["outcome"] = "Card processor failover" })).Accepted);
        await s.Driver.TeamMessageAsync("payments", m => m.Id == posted.Id && m.Text.Contains("Card processor failover"), "the resolved message");

        var escalation = await host.WithDbAsync(db => db.Escalations.Include(e => e.Timeline).SingleAsync());
        var story = escalation.Timeline.OrderBy(t => t.Id).Select(t => t.Kind).ToArray();
        Assert.Equal(
            [EscalationEventKind.Raised, EscalationEventKind.Reescalated, EscalationEventKind.Acknowledged, EscalationEventKind.Resolved],
            story.Where(k => k is not (EscalationEventKind.Posted or EscalationEventKind.Paged)).ToArray());
        Assert.Equal(2, story.Count(k => k == EscalationEventKind.Paged));
        Assert.Equal(TimeSpan.FromMinutes(10), escalation.AcknowledgedAt - escalation.RaisedAt);
        Assert.Equal("Kim Laine", escalation.ResolvedByName);
        Assert.DoesNotContain(await host.WithDbAsync(db => db.Reminders.ToListAsync()), r => r.Status == ReminderStatus.Pending && r.DueAt <= host.Clock.GetUtcNow());
    }
}

public sealed class EscalationEndToEndOnSqlite() : EscalationEndToEndTests(TestProvider.Sqlite);

public sealed class EscalationEndToEndOnPostgres() : EscalationEndToEndTests(TestProvider.Postgres);
