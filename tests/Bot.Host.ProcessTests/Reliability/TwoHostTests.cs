using System.Globalization;
using System.Text.Json.Nodes;
using Bot.Channels.Slack;
using Bot.Channels.Teams;
using Bot.Core.Conversation;
using Bot.Core.Features.Escalation;
using Bot.Core.Features.Incidents;
using Bot.Core.Features.Reviews;
using Bot.Core.Scheduling;
using Bot.Testing;
using Bot.Testing.Conformance;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Bot.Host.ProcessTests.Reliability;

/// <summary>Two hosts on one PostgreSQL, both serving requests and running Hangfire, as a deployment with two replicas does.</summary>
public sealed class TwoHostTests(ITestOutputHelper output)
{
    // The crash tests' burst, split across the two hosts.
    private const int Escalations = 200;
    private const int Incidents = 200;

    [Fact]
    public async Task ABurstSplitAcrossTwoHosts_HasEveryEffectOnce_AndTheRecurringJobRunsOncePerSlot()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        await using var aws = await FakeSsmIncidents.StartAsync();
        await using var database = await TestDatabase.CreateAsync(TestProvider.Postgres);
        var settings = CrashTests.BurstSettings(database, slack);
        // Incident Manager's reconciliation: a recurring job both hosts register, every minute.
        settings["IncidentManager:Region"] = FakeSsmIncidents.Region;
        settings["IncidentManager:ServiceUrl"] = aws.ServiceUrl.AbsoluteUri;
        settings["IncidentManager:ReconcileInterval"] = "00:01:00";
        settings["AWS_ACCESS_KEY_ID"] = FakeSsmIncidents.AccessKey;
        settings["AWS_SECRET_ACCESS_KEY"] = FakeSsmIncidents.SecretKey;
        await using var first = HostProcess.Start(settings);
        await first.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        await using var second = HostProcess.Start(settings);
        await second.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        using var one = first.CreateClient();
        using var two = second.CreateClient();
        var both = new[] { one, two };

        // Every other request goes to the other host; an incident opened on one is resolved through the other.
        var signer = new SlackSigner(SlackSigner.Secret, () => DateTimeOffset.UtcNow);
        var opened = DateTimeOffset.UtcNow.AddMinutes(-10);
        var sends = Enumerable.Range(0, Escalations).Select(i => (Func<Task>)(async () =>
        {
            using var r = await CrashTests.Submission(signer, "Vtwo" + i.ToString(CultureInfo.InvariantCulture))(both[i % 2]);
            r.EnsureSuccessStatusCode();
        })).Concat(Enumerable.Range(0, Incidents).Select(i => (Func<Task>)(async () =>
        {
            var id = "two-" + i.ToString(CultureInfo.InvariantCulture);
            using (var r = await SignedWebhooks.IncidentAsync(both[i % 2], CrashTests.Report(id, "open", opened, opened))) r.EnsureSuccessStatusCode();
            using (var r = await SignedWebhooks.IncidentAsync(both[(i + 1) % 2], CrashTests.Report(id, "resolved", opened, DateTimeOffset.UtcNow))) r.EnsureSuccessStatusCode();
        }))).ToList();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForEachAsync(sends, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (send, _) => await send());
        output.WriteLine($"burst answered in {watch.Elapsed.TotalSeconds:F1} s");

        // Each resolved incident gets a review, whose first prompt waits for the owner's next working morning: that
        // morning comes now, for both hosts at once.
        await Eventually.TrueAsync(async () =>
        {
            await using var db = database.OpenContext();
            return await db.Reviews.CountAsync() == Incidents;
        }, "every review started", TimeSpan.FromMinutes(2));
        await using (var db = database.OpenContext())
        {
            var now = DateTimeOffset.UtcNow;
            await db.Reminders.Where(r => r.Kind == ReviewReminders.Prompt.Name && r.Status == ReminderStatus.Pending)
                .ExecuteUpdateAsync(x => x.SetProperty(r => r.DueAt, now));
        }

        // Both hosts run reminders and Hangfire: whatever one started, either may finish. That takes about a minute and a
        // half after the burst on an idle 2-core machine, and more than two beside the rest of the suite.
        await Eventually.TrueAsync(async () =>
        {
            await using var db = database.OpenContext();
            return await CrashTests.CaughtUpAsync(db);
        }, "both hosts to catch up", TimeSpan.FromMinutes(5));
        await using (var db = database.OpenContext())
        {
            Assert.Equal((Escalations, Incidents), (await db.Escalations.CountAsync(), await db.Incidents.CountAsync()));
            Assert.Empty(await db.Reminders.Where(r => r.Status == ReminderStatus.Failed).ToListAsync());
            var escalations = await db.Escalations.Select(e => e.Id).ToListAsync();
            var posts = slack.Of("chat.postMessage").Select(c => c.Body.Str("metadata", "event_payload", "key")).ToList();
            Assert.Empty(posts.GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key));
            Assert.All(escalations, e => Assert.Contains($"escalation:{e}:card", posts));
            Assert.All(escalations, e => Assert.Contains($"escalation:{e}:thanks", posts));
            Assert.All(await db.Incidents.Select(i => i.Id).ToListAsync(), i => Assert.Contains($"incident:{i}:card", posts));
            Assert.Equal(await db.Reminders.CountAsync(r => r.Kind == EscalationReminders.Page.Name && r.Status == ReminderStatus.Done),
                posts.Count(p => p!.Contains(":page:", StringComparison.Ordinal)));
            var reviews = await db.Reviews.Select(r => new { r.Id, r.OwnerKey }).ToListAsync();
            Assert.Equal(Incidents, reviews.Count);
            Assert.All(reviews, r => Assert.Contains($"review:{r.Id}:{ReviewReminders.DraftPurpose}{r.OwnerKey}", posts));
            output.WriteLine($"{posts.Count} posts (each once) for {Escalations} escalations and {Incidents} incidents with their reviews, caught up in {watch.Elapsed.TotalSeconds:F0} s");
        }

        // The reconciliation lists incident records twice per run (new ones, open ones): each minute that had a run had
        // exactly one, though both hosts schedule it.
        List<IGrouping<string, FakeSsmIncidents.Call>> runs;
        try
        {
            runs = await Eventually.GetAsync(() => Task.FromResult(aws.Of("listIncidentRecords").GroupBy(c => c.AmzDate![..13]).ToList()),
                minutes => minutes.Count >= 1, "a reconciliation run", TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException)
        {
            output.WriteLine(string.Join("\n", aws.Calls.Select(c => $"{c.Operation} {c.Status} {c.SignatureProblem}")));
            output.WriteLine(first.Output);
            throw;
        }
        // A run that started at the end of a minute may sign its second listing in the next one: count by run, not by call.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var calls = aws.Of("listIncidentRecords").Select(c => DateTimeOffset.ParseExact(c.AmzDate!, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)).OrderBy(t => t).ToList();
        output.WriteLine("listings at " + string.Join(", ", calls.Select(t => t.ToString("HH:mm:ss", CultureInfo.InvariantCulture))));
        var slots = calls.GroupBy(t => new DateTimeOffset(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, TimeSpan.Zero)).ToList();
        Assert.All(slots, s => Assert.True(s.Count() <= 2, $"{s.Count()} listings in the minute from {s.Key:HH:mm}: the job ran more than once"));
        Assert.NotEmpty(runs);
    }
}
