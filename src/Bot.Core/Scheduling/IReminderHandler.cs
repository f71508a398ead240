using Bot.Core.Storage;

namespace Bot.Core.Scheduling;

/// <summary>
/// Performs one kind of reminder. Called only after the reminder was claimed; changes made to <paramref name="db"/>
/// are saved together with marking the reminder done. Throwing releases the claim for a retry.
/// </summary>
public interface IReminderHandler
{
    string Kind { get; }

    Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken cancellationToken);
}
