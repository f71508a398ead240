using Bot.Core.Scheduling;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace Bot.Host.Scheduling;

/// <summary>A reminder gave up for good; shown on the Hangfire dashboard's Failed page with its reason.</summary>
public sealed class ReminderGaveUpException(GaveUp gaveUp) : Exception($"Reminder {gaveUp.ReminderId} ({gaveUp.Kind}) gave up: {gaveUp.Reason}");

/// <summary>
/// Records a reminder that gave up as a failed job on the dashboard, where operators look for what went wrong.
/// Its Requeue button tries the reminder again (from its first attempt), for when the cause has been fixed.
/// </summary>
public sealed class GaveUpOnTheDashboard(IBackgroundJobClient jobs) : IReminderGiveUpListener
{
    public Task GaveUpAsync(GaveUp gaveUp, CancellationToken ct)
    {
        jobs.Create(Job.FromExpression<ReminderJob>(j => j.RetryGivenUpAsync(gaveUp.ReminderId, CancellationToken.None)),
            new FailedState(new ReminderGaveUpException(gaveUp)) { Reason = "Gave up" });
        return Task.CompletedTask;
    }
}
