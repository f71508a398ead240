namespace Bot.Core.Scheduling;

/// <summary>
/// The scheduling port: told about each reminder once it is committed, so the scheduler (Hangfire in the host)
/// runs it at its due time. Losing a dispatch loses nothing: the periodic sweep picks up due reminders.
/// </summary>
public interface IReminderDispatcher
{
    void Dispatch(long reminderId, DateTimeOffset dueAt);
}
