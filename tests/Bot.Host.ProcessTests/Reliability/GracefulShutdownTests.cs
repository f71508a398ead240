using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Bot.Channels.Slack;
using Bot.Core.Features.Escalation;
using Bot.Core.Scheduling;
using Bot.Testing;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Bot.Host.ProcessTests.Reliability;

/// <summary>
/// SIGTERM in the middle of a burst of Slack escalations: the host reports not ready (503 on <c>/health/ready</c>) while it
/// drains, refuses new requests with 503 and Retry-After once its drain delay is over, finishes what it acknowledged, and
/// exits by itself within the shutdown timeout. Senders repeat what was refused, as Slack does, to the host started
/// next on the same database; afterwards every card and thank-you reached Slack exactly once.
/// </summary>
public sealed class GracefulShutdownTests(ITestOutputHelper output)
{
    private const int Escalations = 120;

    [Theory]
    [InlineData(TestProvider.Sqlite)]
    [InlineData(TestProvider.Postgres)]
    public async Task SigtermDuringABurst_DrainsWhileNotReady_AndEveryEffectHappensOnce(TestProvider provider)
    {
        await using var slack = await FakeSlackApi.StartAsync();
        await using var database = await TestDatabase.CreateAsync(provider);
        var settings = CrashTests.BurstSettings(database, slack);
        settings["Shutdown:DrainDelay"] = "00:00:02";
        settings["Shutdown:Timeout"] = "00:00:20";

        var first = HostProcess.Start(settings);
        await first.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        HostProcess? second = null;
        var current = first;
        var statuses = new ConcurrentQueue<HttpStatusCode>();
        var refused = 0;
        try
        {
            var signer = new SlackSigner(SlackSigner.Secret, () => DateTimeOffset.UtcNow);
            var pending = new ConcurrentQueue<int>(Enumerable.Range(0, Escalations));
            var senders = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
            {
                while (pending.TryDequeue(out var i))
                {
                    var submit = CrashTests.Submission(signer, "Vterm" + i.ToString(CultureInfo.InvariantCulture));
                    for (var attempt = 0; ; attempt++)
                    {
                        Assert.True(attempt < 300, "A submission was never answered.");
                        try
                        {
                            using var http = Volatile.Read(ref current).CreateClient();
                            using var response = await submit(http);
                            if (response.IsSuccessStatusCode) break;
                            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                            Assert.Equal("5", response.Headers.RetryAfter?.ToString());
                            Interlocked.Increment(ref refused);
                        }
                        catch (HttpRequestException)
                        {
                            // The stopped host no longer listens: the next one will.
                        }
                        await Task.Delay(100);
                    }
                }
            })).ToArray();

            // Partway through the burst, a deploy stops the host; its readiness is watched while it drains.
            await Eventually.GetAsync(() => Task.FromResult(pending.Count), n => n < Escalations * 2 / 3, "the burst under way");
            using var probe = first.CreateClient();
            var watching = Task.Run(async () =>
            {
                while (!first.HasExited)
                {
                    try
                    {
                        using var ready = await probe.GetAsync("/health/ready");
                        statuses.Enqueue(ready.StatusCode);
                    }
                    catch (HttpRequestException)
                    {
                    }
                    await Task.Delay(50);
                }
            });
            var stopped = System.Diagnostics.Stopwatch.StartNew();
            Assert.True(await first.TerminateAsync(TimeSpan.FromSeconds(40)), "The host did not stop by itself after SIGTERM.");
            output.WriteLine($"stopped in {stopped.Elapsed.TotalSeconds:F1} s, exit code {first.ExitCode}");
            await watching;
            Assert.Equal(0, first.ExitCode);
            Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(20), "The stop took longer than the shutdown timeout.");
            Assert.Contains(HttpStatusCode.ServiceUnavailable, statuses);
            Assert.DoesNotContain(HttpStatusCode.OK, statuses.SkipWhile(s => s == HttpStatusCode.OK));

            second = HostProcess.Start(settings);
            await second.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
            Volatile.Write(ref current, second);
            await Task.WhenAll(senders);

            await Eventually.TrueAsync(async () =>
            {
                await using var db = database.OpenContext();
                return await CrashTests.CaughtUpAsync(db);
            }, "the host to catch up", TimeSpan.FromMinutes(2));
            await using var check = database.OpenContext();
            Assert.Empty(await check.Reminders.Where(r => r.Status == ReminderStatus.Failed).Select(r => r.LastError).ToListAsync());
            var escalations = await check.Escalations.Select(e => e.Id).ToListAsync();
            Assert.Equal(Escalations, escalations.Count);
            var posts = slack.Of("chat.postMessage").Select(c => c.Body.Str("metadata", "event_payload", "key")).ToList();
            Assert.Empty(posts.GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key));
            foreach (var id in escalations)
            {
                Assert.Contains($"escalation:{id}:card", posts);
                Assert.Contains($"escalation:{id}:thanks", posts);
            }
            output.WriteLine($"{statuses.Count(s => s == HttpStatusCode.ServiceUnavailable)} readiness probes answered 503 while draining; " +
                             $"{refused} requests refused with 503 and sent again; {posts.Count} posts");
        }
        finally
        {
            await first.DisposeAsync();
            if (second is not null) await second.DisposeAsync();
        }
    }
}
