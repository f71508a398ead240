using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Scheduling;

/// <summary>Adding and cancelling reminders inside a flow's unit of work (saved with it).</summary>
public static class Reminders
{
    public static Reminder Schedule(this BotDbContext db, ReminderKind kind, long subjectId, DateTimeOffset dueAt, DateTimeOffset now,
        string? dedupeKey = null) => db.Add(kind.Name, subjectId, dueAt, now, null, dedupeKey);

    public static Reminder Schedule<TArgs>(this BotDbContext db, ReminderKind<TArgs> kind, long subjectId, DateTimeOffset dueAt, DateTimeOffset now,
        TArgs args, string? dedupeKey = null) where TArgs : class => db.Add(kind.Name, subjectId, dueAt, now, kind.Write(args), dedupeKey);

    private static Reminder Add(this BotDbContext db, string kind, long subjectId, DateTimeOffset dueAt, DateTimeOffset now, string? argument,
        string? dedupeKey)
    {
        var reminder = new Reminder
        {
            Kind = kind,
            SubjectId = subjectId,
            Argument = argument,
            DedupeKey = dedupeKey,
            // UTC, as every time is stored: SQLite compares the text.
            DueAt = dueAt.ToUniversalTime(),
            CreatedAt = now,
            Status = ReminderStatus.Pending,
        };
        db.Reminders.Add(reminder);
        return reminder;
    }

    /// <summary>
    /// Schedules a reminder under a dedupe key unless one with that key exists already (in this unit of work or stored,
    /// whatever its state); false when it does. A concurrent twin still fails on the unique key at save.
    /// </summary>
    public static Task<bool> ScheduleOnceAsync(this BotDbContext db, ReminderKind kind, long subjectId, DateTimeOffset now, string dedupeKey,
        CancellationToken ct) => db.AddOnceAsync(kind.Name, subjectId, now, dedupeKey, null, ct);

    /// <inheritdoc cref="ScheduleOnceAsync(BotDbContext, ReminderKind, long, DateTimeOffset, string, CancellationToken)"/>
    public static Task<bool> ScheduleOnceAsync<TArgs>(this BotDbContext db, ReminderKind<TArgs> kind, long subjectId, DateTimeOffset now, string dedupeKey,
        TArgs args, CancellationToken ct) where TArgs : class => db.AddOnceAsync(kind.Name, subjectId, now, dedupeKey, kind.Write(args), ct);

    private static async Task<bool> AddOnceAsync(this BotDbContext db, string kind, long subjectId, DateTimeOffset now, string dedupeKey, string? argument,
        CancellationToken ct)
    {
        if (db.ChangeTracker.Entries<Reminder>().Any(r => r.Entity.DedupeKey == dedupeKey)) return false;
        if (await db.Reminders.AnyAsync(r => r.DedupeKey == dedupeKey, ct)) return false;
        db.Add(kind, subjectId, now, now, argument, dedupeKey);
        return true;
    }

    /// <summary>Whether a newer reminder of the same kind for the same subject is due and waiting (it will show a newer state).</summary>
    public static Task<bool> NewerWaitingAsync(this BotDbContext db, Reminder reminder, DateTimeOffset now, CancellationToken ct) =>
        db.Reminders.AnyAsync(r => r.Kind == reminder.Kind && r.SubjectId == reminder.SubjectId && r.Id > reminder.Id
            && r.Status == ReminderStatus.Pending && r.DueAt <= now, ct);

    /// <summary>Marks pending reminders of a kind for a subject cancelled, saved with the rest of the turn.</summary>
    public static async Task<int> CancelPendingAsync(this BotDbContext db, string kind, long subjectId, DateTimeOffset now, CancellationToken ct)
    {
        var pending = await db.Reminders
            .Where(r => r.Kind == kind && r.SubjectId == subjectId && r.Status == ReminderStatus.Pending)
            .ToListAsync(ct);
        foreach (var reminder in pending)
        {
            reminder.Status = ReminderStatus.Cancelled;
            reminder.CompletedAt = now;
        }
        return pending.Count;
    }

    /// <summary>
    /// The record a reminder is about, tracked (changes are saved with the reminder done), or null when it is gone:
    /// every handler starts here and has nothing to do without it.
    /// </summary>
    public static async Task<T?> SubjectOfAsync<T>(this BotDbContext db, Reminder reminder, CancellationToken ct) where T : class =>
        await db.Set<T>().FindAsync([reminder.SubjectId], ct);
}
