using System.Diagnostics;
using System.Globalization;
using Bot.Core.Directory;
using Bot.Core.Features.Digests;
using Bot.Core.Features.Escalation;
using Bot.Core.Features.Experiments;
using Bot.Core.Features.Incidents;
using Bot.Core.Features.Reviews;
using Bot.Core.Storage;
using Bot.Testing;
using Microsoft.EntityFrameworkCore;

namespace Bot.Benchmarks;

/// <summary>
/// One year of synthetic data for 50 teams (about 20,000 incidents, 5,000 escalations, 200,000 timeline entries,
/// 2,000 reviews, 1,000 experiments, 100,000 deployments, a check-in per shift), then the time and peak memory it takes
/// to build every team's weekly digest. The build runs in a process of its own, so seeding does not count towards its memory.
/// </summary>
public static class DigestLoad
{
    public const int Teams = 50;

    /// <summary>The Monday morning the digests are built for: the year of data ends here.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private static readonly string[] Zones = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC", "Australia/Sydney"];

    /// <summary><c>digests sqlite|postgres [runs]</c>: a new database, seeded, then measured by a child process.</summary>
    public static async Task<int> RunAsync(TestProvider provider, int runs)
    {
        Console.WriteLine($"provider: {provider}  cores: {Environment.ProcessorCount}  teams: {Teams}  runs: {runs}");
        await using var database = await TestDatabase.CreateAsync(provider);
        var watch = Stopwatch.StartNew();
        await using (var db = database.OpenContext())
        {
            await db.Database.MigrateAsync();
            await SeedAsync(db);
        }
        Console.WriteLine($"seeded in {watch.Elapsed.TotalSeconds:F1} s");
        await using (var db = database.OpenContext()) await CountAsync(db);

        // Each measurement in a process of its own, so its first run is cold and its memory is its own.
        foreach (var concurrency in new[] { 1, Environment.ProcessorCount })
        {
            string[] arguments = ["digests-measure", provider.ToString(), database.ConnectionString, runs.ToString(CultureInfo.InvariantCulture),
                concurrency.ToString(CultureInfo.InvariantCulture)];
            var self = Environment.ProcessPath!;
            var start = self.EndsWith("dotnet", StringComparison.Ordinal)
                ? new ProcessStartInfo(self, [typeof(DigestLoad).Assembly.Location, .. arguments])
                : new ProcessStartInfo(self, arguments);
            start.UseShellExecute = false;
            using var child = Process.Start(start)!;
            await child.WaitForExitAsync();
            if (child.ExitCode != 0) return child.ExitCode;
        }
        return 0;
    }

    /// <summary>
    /// The measured part: every team's digest of last week, built <paramref name="runs"/> times (the first one cold),
    /// <paramref name="concurrency"/> teams at a time (each team's digest is its own scheduler job), then their charts.
    /// </summary>
    public static async Task<int> MeasureAsync(TestProvider provider, string connection, int runs, int concurrency)
    {
        var options = provider == TestProvider.Sqlite
            ? new DbContextOptionsBuilder<Bot.Data.SqliteBotDbContext>().UseSqlite(connection).Options
            : (DbContextOptions)new DbContextOptionsBuilder<Bot.Data.PostgresBotDbContext>().UseNpgsql(connection).Options;
        BotDbContext Open() => provider == TestProvider.Sqlite
            ? new Bot.Data.SqliteBotDbContext((DbContextOptions<Bot.Data.SqliteBotDbContext>)options)
            : new Bot.Data.PostgresBotDbContext((DbContextOptions<Bot.Data.PostgresBotDbContext>)options);

        List<Team> teams;
        await using (var db = Open()) teams = await db.Teams.AsNoTracking().OrderBy(t => t.Key).ToListAsync();
        var digestTimes = new List<double>();
        var chartTimes = new List<double>();
        var blocks = 0;
        for (var run = 0; run < runs; run++)
        {
            var watch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(teams, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (team, ct) =>
            {
                await using var db = Open();
                var digest = await DigestBuilder.BuildAsync(db, team, DigestWeeks.Before(Now, team.TimeZone), soFar: false, Now, ct);
                Interlocked.Add(ref blocks, DigestMessages.Full(digest).Blocks.Count);
            });
            digestTimes.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            await Parallel.ForEachAsync(teams, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (team, ct) =>
            {
                await using var db = Open();
                _ = await DigestCharts.RenderAsync(db, team, DigestWeeks.Before(Now, team.TimeZone), ct);
            });
            chartTimes.Add(watch.Elapsed.TotalMilliseconds);
        }
        string Times(List<double> times) => string.Join(" / ", times.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)));
        Console.WriteLine($"{concurrency} at a time: digests of all {teams.Count} teams (ms) {Times(digestTimes)} (first run cold); " +
                          $"their charts (ms) {Times(chartTimes)}; peak resident memory {PeakRssMegabytes():F1} MB; {blocks / runs} message blocks per run");
        return 0;
    }

    private static double PeakRssMegabytes()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0
            : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    private static async Task CountAsync(BotDbContext db)
    {
        Console.WriteLine($"incidents {await db.Incidents.CountAsync():N0}, escalations {await db.Escalations.CountAsync():N0}, " +
                          $"timeline entries {await db.IncidentEvents.CountAsync() + await db.EscalationEvents.CountAsync():N0}, " +
                          $"reviews {await db.Reviews.CountAsync():N0}, experiments {await db.Experiments.CountAsync():N0}, " +
                          $"deployments {await db.Deployments.CountAsync():N0}, check-ins {await db.CheckIns.CountAsync():N0}");
    }

    /// <summary>The synthetic year, the same every time (a fixed random seed), written in batches.</summary>
    public static async Task SeedAsync(BotDbContext db)
    {
        var random = new Random(42);
        var from = Now.AddDays(-364);
        DateTimeOffset Sometime() => from.AddMinutes(random.Next(0, 364 * 24 * 60));
        var pending = 0;

        async Task FlushAsync(bool force = false)
        {
            if (!force && pending < 5000) return;
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
            pending = 0;
        }

        for (var t = 0; t < Teams; t++)
        {
            var key = $"team{t:00}";
            var zone = Zones[t % Zones.Length];
            var members = Enumerable.Range(1, 6).Select(j => $"{key}-p{j}").ToList();
            var manager = $"{key}-lead";
            foreach (var person in members.Append(manager))
                db.People.Add(new Person { Key = person, Name = $"Person {person}", TimeZone = zone });
            db.Teams.Add(new Team
            {
                Key = key, Name = $"Team {t:00}", TimeZone = zone, Members = members, Managers = [manager],
                Channels = new(StringComparer.OrdinalIgnoreCase) { ["playground"] = "#" + key },
                OnCall = new OnCallRotation { Members = members, StartsOn = new DateOnly(2025, 1, 6) },
            });
            var services = Enumerable.Range(1, 4).Select(k => $"{key}-svc{k}").ToArray();
            foreach (var service in services) db.Services.Add(new Service { Key = service, Name = $"Service {service}", TeamKey = key });
            await FlushAsync(force: true);

            // 2,000 deployments a team; every fifth incident points at one of them.
            var deployments = new List<(string Id, string Service, DateTimeOffset At)>();
            for (var n = 0; n < 2000; n++)
            {
                var service = services[n % services.Length];
                var at = Sometime();
                deployments.Add(($"{key}-d{n}", service, at));
                db.Deployments.Add(new Deployment { Id = $"{key}-d{n}", Service = service, ServiceKey = service, Version = $"1.{n}", DeployedAt = at, Outcome = "succeeded", ReceivedAt = at });
                pending++;
                await FlushAsync();
            }

            // 400 incidents, six timeline entries each.
            var incidents = new List<Incident>();
            for (var n = 0; n < 400; n++)
            {
                var opened = Sometime();
                var acknowledged = opened.AddMinutes(random.Next(1, 40));
                var resolved = acknowledged.AddMinutes(random.Next(10, 360));
                var incident = new Incident
                {
                    Source = "webhook", ExternalId = $"{key}-i{n}", Title = $"Synthetic incident {n}", Impact = 1 + random.Next(5), Status = IncidentStatus.Resolved,
                    ServiceKey = services[random.Next(services.Length)], TeamKey = key, OpenedAt = opened, AcknowledgedAt = acknowledged,
                    AcknowledgedBy = members[random.Next(members.Count)], ResolvedAt = resolved, UpdatedAt = resolved, LastReportedAt = resolved,
                    DeploymentId = n % 5 == 0 ? deployments[random.Next(deployments.Count)].Id : null,
                };
                foreach (var (kind, at) in new[]
                         {
                             (IncidentEventKind.Opened, opened), (IncidentEventKind.Acknowledged, acknowledged), (IncidentEventKind.Note, acknowledged.AddMinutes(5)),
                             (IncidentEventKind.Updated, acknowledged.AddMinutes(10)), (IncidentEventKind.Note, resolved.AddMinutes(-5)), (IncidentEventKind.Resolved, resolved),
                         })
                    incident.Timeline.Add(new IncidentEvent { At = at, Kind = kind, Actor = "bot", Text = $"{kind} (synthetic)" });
                incidents.Add(incident);
                db.Incidents.Add(incident);
                pending += 7;
                await FlushAsync();
            }
            await FlushAsync(force: true);

            // 100 escalations, sixteen timeline entries each.
            for (var n = 0; n < 100; n++)
            {
                var raised = Sometime();
                var raiser = members[random.Next(members.Count)];
                var acknowledged = raised.AddMinutes(random.Next(1, 30));
                var escalation = new Escalation
                {
                    Summary = $"Synthetic escalation {n}", TeamKey = key, ServiceKey = services[random.Next(services.Length)], Impact = CustomerImpact.Degraded,
                    Urgency = Urgency.WithinHour, Channel = "playground", RaisedInConversation = "#" + key, RaisedByUserId = raiser, RaisedByName = raiser,
                    RaisedByKey = raiser, RaisedAt = raised, Status = EscalationStatus.Resolved, AcknowledgedByKey = members[0], AcknowledgedByName = members[0],
                    AcknowledgedAt = acknowledged, ResolvedByName = members[0], ResolvedAt = acknowledged.AddMinutes(random.Next(5, 120)), Outcome = "Done",
                    OutcomeKind = (EscalationOutcome)random.Next(4),
                };
                for (var e = 0; e < 16; e++)
                    escalation.Timeline.Add(new EscalationEvent
                    {
                        At = raised.AddMinutes(e), Kind = e == 0 ? EscalationEventKind.Raised : e == 3 ? EscalationEventKind.Reescalated : EscalationEventKind.Joined,
                        Actor = raiser, Text = "synthetic",
                    });
                db.Escalations.Add(escalation);
                pending += 17;
                await FlushAsync();
            }
            await FlushAsync(force: true);

            // 40 reviews of the team's worse incidents, three contributions and two action items each; most completed.
            var template = ReviewTemplate.Blameless;
            foreach (var incident in incidents.Where(i => i.Impact <= 3).Take(40))
            {
                var resolved = incident.ResolvedAt!.Value;
                var completed = random.Next(10) < 7 ? resolved.AddDays(random.Next(1, 9)) : (DateTimeOffset?)null;
                var review = new Review
                {
                    IncidentId = incident.Id, TeamKey = key, Title = incident.Title, Impact = incident.Impact, OwnerKey = members[random.Next(members.Count)],
                    Status = completed is null ? ReviewStatus.Draft : ReviewStatus.Completed, TemplateName = template.Name, TemplateVersion = template.Version,
                    Sections = [.. template.Sections], ResolvedAt = resolved, CreatedAt = resolved, UpdatedAt = completed ?? resolved, StartedBy = "bot",
                    DueAt = resolved.AddDays(7), CompletedAt = completed, CompletedBy = completed is null ? null : members[0],
                };
                for (var c = 0; c < 3; c++)
                    review.Contributions.Add(new ReviewContribution
                    {
                        Section = c == 2 ? ReviewTemplate.Factors : ReviewTemplate.Summary, By = members[(c + incident.Impact) % members.Count], ByName = "synthetic",
                        At = resolved.AddHours(c + 1), Text = "Synthetic text", Tags = c == 2 ? [ReviewTemplate.FactorTags[random.Next(ReviewTemplate.FactorTags.Count)]] : [],
                    });
                for (var a = 0; a < 2; a++)
                    review.ActionItems.Add(new ActionItem
                    {
                        Title = $"Synthetic action {a}", OwnerKey = members[a], DueOn = DateOnly.FromDateTime(resolved.AddDays(14).UtcDateTime), Kind = ActionKind.Prevent,
                        Status = a == 0 ? ActionStatus.Done : ActionStatus.Open, CreatedBy = members[0], CreatedAt = resolved.AddHours(2),
                        ClosedAt = a == 0 ? resolved.AddDays(10) : null,
                    });
                db.Reviews.Add(review);
                pending += 6;
                await FlushAsync();
            }

            // 20 experiments through their lifecycle.
            for (var n = 0; n < 20; n++)
            {
                var proposed = Sometime();
                var concluded = n % 2 == 0 ? proposed.AddDays(30) : (DateTimeOffset?)null;
                var experiment = new Experiment
                {
                    TeamKey = key, Title = $"Synthetic experiment {n}", Hypothesis = "We believe x will y", Metric = "m", Threshold = "t", Kind = ExperimentKind.Process,
                    Radius = (BlastRadius)(n % 4), StartsOn = DateOnly.FromDateTime(proposed.UtcDateTime), EndsOn = DateOnly.FromDateTime(proposed.AddDays(28).UtcDateTime),
                    ProposerKey = members[n % members.Count], ProposerName = "synthetic", ProposedAt = proposed,
                    Status = concluded is null ? ExperimentStatus.Running : ExperimentStatus.Concluded, Outcome = concluded is null ? null : (ExperimentOutcome)(n % 3),
                    ConcludedAt = concluded,
                };
                experiment.Transitions.Add(new ExperimentTransition { From = ExperimentStatus.Proposed, To = ExperimentStatus.Approved, By = manager, At = proposed.AddDays(1) });
                experiment.Transitions.Add(new ExperimentTransition { From = ExperimentStatus.Approved, To = ExperimentStatus.Running, By = "bot", At = proposed.AddDays(2) });
                db.Experiments.Add(experiment);
                pending += 3;
                await FlushAsync();
            }

            // A check-in at the end of each weekly shift.
            var rotation = await db.Teams.AsNoTracking().SingleAsync(x => x.Key == key);
            var shift = OnCallSchedule.At(rotation, from);
            while (shift.EndsAt < Now)
            {
                db.CheckIns.Add(new CheckIn
                {
                    TeamKey = key, PersonKey = shift.Primary!, ShiftStartedAt = shift.StartsAt.ToUniversalTime(), ShiftEndedAt = shift.EndsAt.ToUniversalTime(),
                    AskedAt = shift.EndsAt.ToUniversalTime(), AnsweredAt = shift.EndsAt.ToUniversalTime().AddHours(1), Load = 1 + random.Next(5),
                    SleepInterrupted = random.Next(3) == 0, WhatHurt = random.Next(4) == 0 ? "synthetic" : null, Shared = random.Next(2) == 0,
                });
                pending++;
                shift = OnCallSchedule.At(rotation, shift.EndsAt);
            }
            await FlushAsync(force: true);
            Console.Write('.');
        }
        Console.WriteLine();
    }
}
