namespace Bot.Core.Scheduling;

/// <summary>
/// Work the scheduler runs on a fixed cadence (the host registers each with Hangfire as a recurring job). It must be
/// safe to run twice or concurrently: Hangfire runs at least once.
/// </summary>
public interface IRecurringJob
{
    /// <summary>A stable id, e.g. <c>incident-manager.reconcile</c>.</summary>
    string Id { get; }

    TimeSpan Interval { get; }

    /// <summary>False when what the job serves is not configured; the host then does not schedule it.</summary>
    bool Enabled { get; }

    Task RunAsync(CancellationToken ct);
}
