using Bot.Core.Directory;

namespace Bot.Core.Scheduling;

/// <summary>
/// Work the scheduler runs on a fixed schedule (the host registers each with Hangfire as a recurring job). It must be
/// safe to run twice or concurrently: Hangfire runs at least once.
/// </summary>
public interface IRecurringJob
{
    /// <summary>A stable id, e.g. <c>incident-manager.reconcile</c>.</summary>
    string Id { get; }

    RecurringSchedule Schedule { get; }

    /// <summary>False when what the job serves is not configured; the host then does not schedule it.</summary>
    bool Enabled { get; }

    Task RunAsync(CancellationToken ct);
}

/// <summary>
/// Work that runs for each team on the team's own schedule, e.g. "Monday 09:00 in the team's zone". The host keeps
/// one recurring job per team (<c>{Id}:{team key}</c>), added and removed on start as teams come and go. A run should
/// only schedule its period's work as a reminder under a dedupe key (retried, taken over after a crash, done once):
/// a failed run is retried a few times, and a period's run lost for good would cost the team that period.
/// </summary>
public interface ITeamRecurringJob
{
    /// <summary>A stable id, e.g. <c>digests.weekly</c>; must not contain ':'.</summary>
    string Id { get; }

    /// <summary>When the job runs for <paramref name="team"/>; null when it does not run for that team.</summary>
    RecurringSchedule? ScheduleFor(Team team);

    Task RunAsync(string teamKey, CancellationToken ct);
}
