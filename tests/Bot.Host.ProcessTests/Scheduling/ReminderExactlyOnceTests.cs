using Bot.Core.Directory;
using Bot.Core.Features.Escalation;
using Bot.Core.Scheduling;
using Bot.Host.Scheduling;
using Bot.Testing;
using Bot.Testing.Conformance;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Host.ProcessTests.Scheduling;

/// <summary>Hangfire runs a job at least once; the reminder's effect must still happen exactly once.</summary>
public abstract class ReminderExactlyOnceTests(TestProvider provider)
{
    [Fact]
    public async Task ReminderJob_RunTwiceAndConcurrently_PagesOnce()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var host = new BotAppFactory(database);
        var s = new ScenarioContext(new PlaygroundDriver(host.Playground()), host);
        await EscalationScenarios.RaiseAsync(s);
        var escalationId = await host.WithDbAsync(db => db.Escalations.Select(e => e.Id).SingleAsync());

        // A page due a minute from now, so only the jobs below run it.
        var reminderId = await host.WithDbAsync(async db =>
        {
            var now = host.Clock.GetUtcNow();
            var r = db.Schedule(EscalationReminders.Page, escalationId, now.AddMinutes(1), now, new EscalationReminders.PageArgs(0, "raj"));
            await db.SaveChangesAsync();
            return r.Id;
        });
        host.Clock.Advance(TimeSpan.FromMinutes(1));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RunJobAsync(host, reminderId)));
        await RunJobAsync(host, reminderId);

        Assert.Single(await s.Driver.DirectMessagesAsync("raj"));
        var reminder = await host.WithDbAsync(db => db.Reminders.SingleAsync(r => r.Id == reminderId));
        Assert.Equal(ReminderStatus.Done, reminder.Status);
        Assert.Equal(1, reminder.Attempts);
    }

    [Fact]
    public async Task PendingReescalation_SurvivesHostRestart_AndIsDeliveredOnce()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var settings = new Dictionary<string, string?>(database.Settings) { ["Escalation:DefaultAckTimeouts:Now"] = "00:00:06", ["Scheduling:SweepInterval"] = "00:00:02" };

        await using (var first = HostProcess.Start(settings))
        {
            await first.WaitUntilReadyAsync();
            var driver = new PlaygroundDriver(new PlaygroundClient(first.CreateClient()));
            await driver.CommandAsync("ana", "/escalate checkout is failing");
            var form = await driver.FormAsync("ana", EscalationForms.RaiseId);
            Assert.True((await driver.SubmitAsync("ana", form, EscalationScenarios.ValidForm())).Accepted);
            await driver.TeamMessageAsync("payments", m => m.Text.Contains("Checkout fails"), "the channel post");
            // Crash before the acknowledgement timeout: the re-escalation now exists only as a row and a Hangfire job.
            await first.KillAsync();
        }
        var secondary = await SecondaryOnCallAsync(database);
        await using (var db = database.OpenContext())
        {
            Assert.Equal(0, await db.EscalationEvents.CountAsync(e => e.Kind == EscalationEventKind.Reescalated));
        }

        await using var second = HostProcess.Start(settings);
        await second.WaitUntilReadyAsync();
        var after = new PlaygroundDriver(new PlaygroundClient(second.CreateClient()));
        await after.DirectMessageAsync(secondary, m => m.Text.Contains("Secondary on-call"), "the re-escalation after the restart");
        await after.TeamMessageAsync("payments", m => m.Text.Contains("Re-escalated to Secondary on-call"), "the channel update after the restart");

        Assert.Single(await after.DirectMessagesAsync(secondary));
        Assert.Single(await after.TeamMessagesAsync("payments"));
        await using (var db = database.OpenContext())
        {
            Assert.Equal(1, await db.EscalationEvents.CountAsync(e => e.Kind == EscalationEventKind.Reescalated));
        }
    }

    private static async Task RunJobAsync(BotAppFactory host, long reminderId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ReminderJob>().RunAsync(reminderId, CancellationToken.None);
    }

    // The host process runs on the real clock, so who is on call depends on today's date.
    private static async Task<string> SecondaryOnCallAsync(TestDatabase database)
    {
        await using var db = database.OpenContext();
        var team = await db.Teams.SingleAsync(t => t.Key == "payments");
        return OnCallSchedule.At(team, DateTimeOffset.UtcNow).Secondary!;
    }
}

public sealed class ReminderExactlyOnceOnSqlite() : ReminderExactlyOnceTests(TestProvider.Sqlite);

public sealed class ReminderExactlyOnceOnPostgres() : ReminderExactlyOnceTests(TestProvider.Postgres);
