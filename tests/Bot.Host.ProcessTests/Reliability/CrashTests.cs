using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Bot.Channels.Slack;
using Bot.Core.Features.Escalation;
using Bot.Core.Features.Incidents;
using Bot.Core.Features.Reviews;
using Bot.Core.Scheduling;
using Bot.Testing;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Bot.Host.ProcessTests.Reliability;

/// <summary>
/// The real host process takes a burst of Slack escalations and incident webhooks while it is stopped ten times at
/// random moments and started again: five times killed (SIGKILL, no goodbye, as a crash or an OOM kill) and five times
/// asked to stop (SIGTERM, as a deploy), in random order. Slack and the alerting tool retry what was not answered, as they do. Afterwards every card, page,
/// thank-you and review prompt reached the fake Slack exactly once.
/// </summary>
public abstract class CrashTests(TestProvider provider, ITestOutputHelper output)
{
    private const int Escalations = 200;
    private const int Incidents = 100; // each opened and resolved: 200 webhooks
    private const int StopsOfEachKind = 5;

    [Fact]
    public async Task ABurstThroughFiveKillsAndFiveGracefulStops_HasEveryEffectExactlyOnce()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        await using var slack = await FakeSlackApi.StartAsync();
        // Empty: the first start migrates it, as a first deploy does.
        await using var database = await TestDatabase.CreateAsync(provider, empty: true);
        var settings = BurstSettings(database, slack);
        // A killed worker's claims are taken over after this lease (5 minutes by default). It must outlast the slowest
        // live send: on a loaded 2-core machine (this test beside the host suite) a card waiting in the channel's paced
        // queue took more than 8 s, and once more than 30 s; its claim was taken over by the sweep, and the post went out
        // twice. A send slower than its lease is the limit of claims with leases (see README).
        settings["Scheduling:ClaimLease"] = "00:01:00";
        settings["Scheduling:SweepInterval"] = "00:00:01";

        var host = new CurrentHost(settings) { Database = database };
        // Five crashes and five deploys, in an order the seed decides.
        var stops = new Queue<bool>(Enumerable.Repeat(false, StopsOfEachKind).Concat(Enumerable.Repeat(true, StopsOfEachKind)).OrderBy(_ => random.Next()));
        await host.StartAsync();
        output.WriteLine($"first start at {watch.Elapsed.TotalSeconds:F1} s");
        try
        {
            var signer = new SlackSigner(SlackSigner.Secret, () => DateTimeOffset.UtcNow);
            // Each item is what one sender does in order: Ana's submission, or the tool's opening then resolution of an incident.
            var items = new List<Func<Task>>();
            for (var i = 0; i < Escalations; i++)
            {
                var submit = Submission(signer, "Vcrash" + i.ToString(CultureInfo.InvariantCulture));
                items.Add(() => host.UntilAnsweredAsync(submit));
            }
            var opened = DateTimeOffset.UtcNow.AddMinutes(-10);
            for (var i = 0; i < Incidents; i++)
            {
                var id = "crash-" + i.ToString(CultureInfo.InvariantCulture);
                var open = Report(id, "open", opened, opened);
                var resolved = Report(id, "resolved", opened, DateTimeOffset.UtcNow);
                items.Add(async () =>
                {
                    await host.UntilAnsweredAsync(http => SignedWebhooks.IncidentAsync(http, open));
                    await host.UntilAnsweredAsync(http => SignedWebhooks.IncidentAsync(http, resolved));
                });
            }

            // The burst, eight senders at a time, each request repeated until answered; meanwhile the host dies five times.
            var queue = new Queue<Func<Task>>(items.OrderBy(_ => random.Next()));
            var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                while (true)
                {
                    Func<Task> next;
                    lock (queue)
                    {
                        if (!queue.TryDequeue(out next!)) return;
                    }
                    await next();
                }
            })).ToArray();
            while (stops.Count > 1)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(500, 1800)));
                await host.RestartAsync(graceful: stops.Dequeue());
            }
            await Task.WhenAll(workers);
            output.WriteLine($"burst answered at {watch.Elapsed.TotalSeconds:F1} s");

            // A review's first prompt waits for the owner's next working morning: once every review is started, that
            // morning comes, and the host is killed once more while the prompts go out.
            await host.UntilAsync(async db => await db.Reviews.CountAsync() == Incidents);
            output.WriteLine($"reviews started at {watch.Elapsed.TotalSeconds:F1} s");
            await using (var db = database.OpenContext())
            {
                var now = DateTimeOffset.UtcNow;
                await db.Reminders.Where(r => r.Kind == ReviewReminders.Prompt.Name && r.Status == ReminderStatus.Pending)
                    .ExecuteUpdateAsync(x => x.SetProperty(r => r.DueAt, now));
            }
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(300, 1500)));
            await host.RestartAsync(graceful: stops.Dequeue());

            // Everything due is done once the host has caught up (claims of the killed hosts lapse after the lease).
            await host.UntilAsync(CaughtUpAsync, TimeSpan.FromMinutes(5));
            output.WriteLine($"caught up at {watch.Elapsed.TotalSeconds:F1} s");
            await using var check = database.OpenContext();
            void Show(string what, IEnumerable<object?> items) => output.WriteLine($"{what}: {string.Join(", ", items.Take(20))}");
            var failed = await check.Reminders.Where(r => r.Status == ReminderStatus.Failed).Select(r => r.Kind + ": " + r.LastError).ToListAsync();
            Show("failed reminders", failed);
            Assert.Empty(failed);
            var escalations = await check.Escalations.Select(e => e.Id).ToListAsync();
            var incidents = await check.Incidents.Select(i => i.Id).ToListAsync();
            var reviews = await check.Reviews.Select(r => new { r.Id, r.OwnerKey }).ToListAsync();
            var pages = await check.Reminders.Where(r => r.Kind == EscalationReminders.Page.Name && r.Status == ReminderStatus.Done).Select(r => r.Id).ToListAsync();
            Show("counts", [escalations.Count, incidents.Count, reviews.Count]);
            Assert.Equal((Escalations, Incidents, Incidents), (escalations.Count, incidents.Count, reviews.Count));

            // What arrived on Slack: every post carries its tag; no tag arrived twice, and every expected one arrived.
            var posts = slack.Of("chat.postMessage").Select(c => c.Body.Str("metadata", "event_payload", "key")).ToList();
            Assert.DoesNotContain(null, posts);
            var doubled = posts.GroupBy(t => t).Where(g => g.Count() > 1).Select(g => $"{g.Key} ×{g.Count()}").ToList();
            Show("doubled", doubled);
            Assert.Empty(doubled);
            var expected = escalations.SelectMany(e => new[] { $"escalation:{e}:card", $"escalation:{e}:thanks" })
                .Concat(pages.Select(p => $"page:{p}"))
                .Concat(incidents.Select(i => $"incident:{i}:card"))
                .Concat(reviews.Select(r => $"review:{r.Id}:{ReviewReminders.DraftPurpose}{r.OwnerKey}"))
                .ToList();
            var missing = expected.Where(e => !posts.Any(p => p!.EndsWith(e, StringComparison.Ordinal) && (e.StartsWith("page:", StringComparison.Ordinal) || p == e))).ToList();
            Show("missing", missing);
            Assert.Empty(missing);
            output.WriteLine($"{posts.Count} posts, {pages.Count} pages, {host.Kills} kills, {host.GracefulStops} graceful stops, {host.Retries} requests repeated after a stop, {watch.Elapsed.TotalSeconds:F0} s");
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>A host speaking to the fake Slack and taking signed webhooks, quiet in its logs, for a burst.</summary>
    internal static Dictionary<string, string?> BurstSettings(TestDatabase database, FakeSlackApi slack) => new(database.Settings)
    {
        ["Slack:SigningSecret"] = SlackSigner.Secret,
        ["Slack:BotToken"] = FakeSlackApi.Token,
        ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
        // One channel takes every card: paced as Slack asks would take minutes here.
        ["Slack:PostInterval"] = "00:00:00.002",
        ["Webhooks:Secret"] = SignedWebhooks.Secret,
        // Every incident of the burst is on Checkout: the test counts one card per incident, so storms are not grouped here.
        ["Incidents:GroupWindow"] = "00:00:00",
        // Nobody acknowledges during the test; re-escalations are another test's business.
        ["Escalation:DefaultAckTimeouts:Now"] = "01:00:00",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>
    /// True once no reminder is held, none due by now (give or take a minute) waits, and none waits out a backoff after
    /// failing (a post that found its claim still held by a killed host, until that claim's lease lapsed): the hosts
    /// have caught up.
    /// </summary>
    internal static async Task<bool> CaughtUpAsync(Bot.Core.Storage.BotDbContext db)
    {
        var now = DateTimeOffset.UtcNow.AddMinutes(1);
        var retrying = DateTimeOffset.UtcNow.AddMinutes(10);
        return !await db.Reminders.AnyAsync(r => r.Status == ReminderStatus.Claimed
            || (r.Status == ReminderStatus.Pending && (r.DueAt < now || (r.LastError != null && r.DueAt < retrying))));
    }

    internal static string Report(string id, string status, DateTimeOffset opened, DateTimeOffset at) =>
        new JsonObject
        {
            ["id"] = id, ["title"] = "Checkout errors " + id, ["service"] = "checkout", ["impact"] = 2, ["status"] = status,
            ["openedAt"] = opened.ToString("O", CultureInfo.InvariantCulture), ["updatedAt"] = at.ToString("O", CultureInfo.InvariantCulture),
            ["resolvedAt"] = status == "resolved" ? at.ToString("O", CultureInfo.InvariantCulture) : null,
        }.ToJsonString();

    /// <summary>Ana submits the escalation form (one view, so a repeat of it is the same submission).</summary>
    internal static Func<HttpClient, Task<HttpResponseMessage>> Submission(SlackSigner signer, string viewId)
    {
        var state = JsonNode.Parse("""
            {"values":{"summary":{"value":{"type":"plain_text_input","value":"checkout is failing"}},
            "service":{"value":{"type":"static_select","selected_option":{"value":"checkout"}}},
            "impact":{"value":{"type":"static_select","selected_option":{"value":"AffectedNow"}}},
            "urgency":{"value":{"type":"static_select","selected_option":{"value":"Now"}}}}}
            """);
        var payload = new JsonObject
        {
            ["type"] = "view_submission",
            ["team"] = new JsonObject { ["id"] = FakeSlackApi.Team },
            ["user"] = new JsonObject { ["id"] = "U0ANA00005", ["name"] = "ana" },
            ["view"] = new JsonObject
            {
                ["id"] = viewId, ["callback_id"] = EscalationForms.RaiseId.ToString(), ["state"] = state,
                ["private_metadata"] = new JsonObject { ["c"] = "C0GENERAL", ["s"] = null }.ToJsonString(),
            },
        }.ToJsonString();
        return http => http.SendAsync(signer.Form("/slack/interactions", [new("payload", payload)]));
    }

    /// <summary>The host process of the moment: killed and started again on a new port, and followed by every sender.</summary>
    private sealed class CurrentHost(IReadOnlyDictionary<string, string?> settings) : IAsyncDisposable
    {
        private HostProcess? _process;
        private HttpClient? _http;
        private readonly SemaphoreSlim _swap = new(1, 1);
        public int Kills;
        public int GracefulStops;
        public int Retries;

        public async Task StartAsync()
        {
            _process = HostProcess.Start(settings);
            await _process.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
            _http = _process.CreateClient();
        }

        /// <summary>Stops the host (SIGTERM when <paramref name="graceful"/>, else SIGKILL) and starts a new one.</summary>
        public async Task RestartAsync(bool graceful)
        {
            await _swap.WaitAsync();
            try
            {
                // A graceful stop finishes what is in flight within the shutdown timeout, and exits by itself.
                if (graceful) Assert.True(await _process!.TerminateAsync(TimeSpan.FromSeconds(40)), "The host did not stop by itself after SIGTERM.");
                else await _process!.KillAsync();
                await _process.DisposeAsync();
                _http?.Dispose();
                if (graceful) GracefulStops++;
                else Kills++;
                await StartAsync();
            }
            finally
            {
                _swap.Release();
            }
        }

        /// <summary>Sends until the host answers 2xx, as a platform retries an unanswered delivery.</summary>
        public async Task UntilAnsweredAsync(Func<HttpClient, Task<HttpResponseMessage>> send)
        {
            for (var attempt = 0; ; attempt++)
            {
                if (attempt > 200) throw new TimeoutException("A request was never answered.");
                HttpClient http;
                await _swap.WaitAsync();
                try
                {
                    http = _http!;
                }
                finally
                {
                    _swap.Release();
                }
                try
                {
                    using var response = await send(http);
                    if (response.IsSuccessStatusCode) return;
                    if ((int)response.StatusCode is >= 400 and < 500 and not (int)HttpStatusCode.TooManyRequests)
                        throw new InvalidOperationException($"Refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ObjectDisposedException)
                {
                    // The host died under the request (or it was sent to the one just killed): try the current one.
                }
                Interlocked.Increment(ref Retries);
                await Task.Delay(200);
            }
        }

        public async Task UntilAsync(Func<Bot.Core.Storage.BotDbContext, Task<bool>> done, TimeSpan? timeout = null) =>
            await Eventually.TrueAsync(async () =>
            {
                await using var db = Database.OpenContext();
                return await done(db);
            }, "the host to catch up", timeout ?? TimeSpan.FromMinutes(2));

        public TestDatabase Database { get; init; } = null!;


        public async ValueTask DisposeAsync()
        {
            _http?.Dispose();
            if (_process is not null) await _process.DisposeAsync();
        }
    }
}

public sealed class CrashOnSqlite(ITestOutputHelper output) : CrashTests(TestProvider.Sqlite, output);

public sealed class CrashOnPostgres(ITestOutputHelper output) : CrashTests(TestProvider.Postgres, output);
