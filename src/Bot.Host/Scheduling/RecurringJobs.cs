using Bot.Core.Directory;
using Bot.Core.Scheduling;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Options;

namespace Bot.Host.Scheduling;

/// <summary>The Hangfire job of every <see cref="IRecurringJob"/>: it carries the job's id and runs it. Safe to run twice.</summary>
public sealed partial class RecurringJobRunner(IEnumerable<IRecurringJob> jobs, IEnumerable<ITeamRecurringJob> teamJobs,
    IOptions<DirectoryOptions> directory, ILogger<RecurringJobRunner> logger)
{
    // A run that overlaps the next one would only repeat idempotent work; retrying a failed run is the next run's job.
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Recurring {0}")]
    public async Task RunAsync(string id, CancellationToken cancellationToken)
    {
        var job = jobs.FirstOrDefault(j => j.Id == id && j.Enabled);
        if (job is null)
        {
            LogUnknown(logger, id);
            return;
        }
        await job.RunAsync(cancellationToken);
    }

    // A team's job runs once a period (a week): a failed run is retried soon rather than by next period's run. It only
    // schedules its period's work, once (a dedupe key), so a retry after a run that got that far adds nothing.
    [AutomaticRetry(Attempts = 3)]
    [JobDisplayName("Recurring {0} for team {1}")]
    public async Task RunForTeamAsync(string id, string teamKey, CancellationToken cancellationToken)
    {
        // The team may have left the directory since the job was stored (another host started with new configuration).
        var job = teamJobs.FirstOrDefault(j => j.Id == id);
        if (job is null || !directory.Value.Teams.Any(t => t.Key == teamKey))
        {
            LogUnknown(logger, $"{id}:{teamKey}");
            return;
        }
        await job.RunAsync(teamKey, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recurring job {Id} is not configured on this host; skipped")]
    private static partial void LogUnknown(ILogger logger, string id);
}

/// <summary>
/// Registers the enabled recurring jobs with Hangfire on start, and removes those it knows that are not configured
/// here; per-team jobs are registered for each team in the directory (in the team's time zone when the job says so),
/// and those of teams that are gone, or that the job no longer runs for, are removed.
/// </summary>
public sealed class RecurringJobRegistrar(IRecurringJobManager manager, JobStorage storage, IEnumerable<IRecurringJob> jobs,
    IEnumerable<ITeamRecurringJob> teamJobs, IOptions<DirectoryOptions> directory) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var job in jobs)
        {
            var id = job.Id;
            if (job.Enabled)
                manager.AddOrUpdate<RecurringJobRunner>(id, r => r.RunAsync(id, CancellationToken.None), job.Schedule.Cron, Options(job.Schedule));
            else if (Scheduled(id))
                manager.RemoveIfExists(id);
        }

        if (!teamJobs.Any()) return Task.CompletedTask;
        var teams = directory.Value.Teams.Select(t => t.ToTeam()).ToList();
        List<string> existing;
        using (var connection = storage.GetConnection()) existing = connection.GetRecurringJobs().Select(j => j.Id).ToList();
        foreach (var job in teamJobs)
        {
            var jobId = job.Id;
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var team in teams)
            {
                if (job.ScheduleFor(team) is not { } schedule) continue;
                var teamKey = team.Key;
                var id = TeamJobId(jobId, teamKey);
                wanted.Add(id);
                manager.AddOrUpdate<RecurringJobRunner>(id, r => r.RunForTeamAsync(jobId, teamKey, CancellationToken.None), schedule.Cron, Options(schedule));
            }
            foreach (var stale in existing.Where(id => id.StartsWith(jobId + ":", StringComparison.Ordinal) && !wanted.Contains(id)))
                manager.RemoveIfExists(stale);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static string TeamJobId(string jobId, string teamKey) => $"{jobId}:{teamKey}";

    private static RecurringJobOptions Options(RecurringSchedule schedule) => new() { TimeZone = TimeZones.Find(schedule.TimeZone) };

    private bool Scheduled(string id)
    {
        using var connection = storage.GetConnection();
        return connection.GetAllEntriesFromHash($"recurring-job:{id}") is { Count: > 0 };
    }
}
