using Bot.Core.Scheduling;
using Hangfire;

namespace Bot.Host.Scheduling;

/// <summary>
/// Due-now reminders run at once on the in-process queue (a chat answer within seconds) and are also enqueued in
/// Hangfire for durability and retries; later ones are scheduled in Hangfire. The claim makes the duplicate harmless.
/// </summary>
public sealed partial class HangfireReminderDispatcher(
    IBackgroundJobClient jobs,
    InProcessReminderQueue queue,
    TimeProvider clock,
    ILogger<HangfireReminderDispatcher> logger) : IReminderDispatcher
{
    public void Dispatch(long reminderId, DateTimeOffset dueAt)
    {
        var delay = dueAt - clock.GetUtcNow();
        try
        {
            if (delay <= TimeSpan.Zero)
            {
                queue.Enqueue(reminderId);
                jobs.Enqueue<ReminderJob>(j => j.RunAsync(reminderId, CancellationToken.None));
            }
            else
            {
                jobs.Schedule<ReminderJob>(j => j.RunAsync(reminderId, CancellationToken.None), delay);
            }
        }
        catch (Exception ex)
        {
            // The reminder row is committed; the sweep performs it when it is due.
            LogDispatchFailed(logger, ex, reminderId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not hand reminder {ReminderId} to the scheduler; the sweep will pick it up")]
    private static partial void LogDispatchFailed(ILogger logger, Exception ex, long reminderId);
}
