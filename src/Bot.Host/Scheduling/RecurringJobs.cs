using System.Globalization;
using Bot.Core.Scheduling;
using Hangfire;
using Hangfire.Storage;

namespace Bot.Host.Scheduling;

/// <summary>The Hangfire job of every <see cref="IRecurringJob"/>: it carries the job's id and runs it. Safe to run twice.</summary>
public sealed partial class RecurringJobRunner(IEnumerable<IRecurringJob> jobs, ILogger<RecurringJobRunner> logger)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recurring job {Id} is not configured on this host; skipped")]
    private static partial void LogUnknown(ILogger logger, string id);
}

/// <summary>Registers the enabled recurring jobs with Hangfire on start, and removes those it knows that are not configured here.</summary>
public sealed class RecurringJobRegistrar(IRecurringJobManager manager, JobStorage storage, IEnumerable<IRecurringJob> jobs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var job in jobs)
        {
            var id = job.Id;
            if (job.Enabled)
                manager.AddOrUpdate<RecurringJobRunner>(id, r => r.RunAsync(id, CancellationToken.None), Cron(job.Interval), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
            else if (Scheduled(id))
                manager.RemoveIfExists(id);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private bool Scheduled(string id)
    {
        using var connection = storage.GetConnection();
        return connection.GetAllEntriesFromHash($"recurring-job:{id}") is { Count: > 0 };
    }

    /// <summary>Every N minutes (N divides an hour) or every N hours (N divides a day); options validation guarantees one of them.</summary>
    public static string Cron(TimeSpan interval) => interval switch
    {
        { TotalMinutes: 1 } => "* * * * *",
        { TotalHours: < 1 } => $"*/{interval.Minutes.ToString(CultureInfo.InvariantCulture)} * * * *",
        { TotalHours: 1 } => "0 * * * *",
        { TotalDays: 1 } => "0 0 * * *",
        _ => $"0 */{((int)interval.TotalHours).ToString(CultureInfo.InvariantCulture)} * * *",
    };
}
