using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Bot.Core.Scheduling;

/// <summary>
/// Gives each event published in a save its delivery reminders (in the same save), and hands reminders to the
/// scheduler only once the rows are committed: after the save, or after the surrounding transaction commits.
/// One instance per DbContext (scoped).
/// </summary>
public sealed class ReminderDispatchInterceptor(IReminderDispatcher dispatcher, Events.EventSubscriptions subscriptions) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly List<Reminder> _saving = [];
    private readonly List<Reminder> _awaitingCommit = [];
    private List<(long Id, DateTimeOffset DueAt)>? _held;

    /// <summary>From now on, keep this scope's committed reminders instead of dispatching them (see <see cref="TurnFollowUps"/>).</summary>
    public void Hold() => _held ??= [];

    /// <summary>The reminders kept since <see cref="Hold"/>; dispatching goes back to normal.</summary>
    public IReadOnlyList<(long Id, DateTimeOffset DueAt)> Release()
    {
        var held = _held ?? [];
        _held = null;
        return held;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => _saving.Clear();

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        _saving.Clear();
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Dispatch(_awaitingCommit);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Dispatch(_awaitingCommit);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => _awaitingCommit.Clear();

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        _awaitingCommit.Clear();
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null) return;
        // One pass over the tracked entries (one change detection) finds both the reminders and the events to deliver.
        var added = context.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        _saving.AddRange(added.OfType<Reminder>());
        // Events published in this save get their deliveries in the same save.
        _saving.AddRange(Events.FeatureEvents.FanOut(context, added, subscriptions));
    }

    private void Saved(DbContext? context)
    {
        if (context?.Database.CurrentTransaction is not null)
        {
            _awaitingCommit.AddRange(_saving);
            _saving.Clear();
            return;
        }
        Dispatch(_saving);
    }

    private void Dispatch(List<Reminder> reminders)
    {
        var ready = reminders.ToArray();
        reminders.Clear();
        foreach (var reminder in ready)
        {
            if (_held is not null) _held.Add((reminder.Id, reminder.DueAt));
            else dispatcher.Dispatch(reminder.Id, reminder.DueAt);
        }
    }
}
