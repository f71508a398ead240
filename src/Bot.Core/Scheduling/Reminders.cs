using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Scheduling;

/// <summary>Adding and cancelling reminders inside a flow's unit of work (saved with it).</summary>
public static class Reminders
{
    public static Reminder Schedule(this BotDbContext db, string kind, long subjectId, DateTimeOffset dueAt, DateTimeOffset now,
        string? argument = null, string? dedupeKey = null)
    {
        var reminder = new Reminder
        {
            Kind = kind,
            SubjectId = subjectId,
            Argument = argument,
            DedupeKey = dedupeKey,
            DueAt = dueAt,
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
    public static async Task<bool> ScheduleOnceAsync(this BotDbContext db, string kind, long subjectId, DateTimeOffset now, string dedupeKey,
        CancellationToken ct, string? argument = null)
    {
        if (db.ChangeTracker.Entries<Reminder>().Any(r => r.Entity.DedupeKey == dedupeKey)) return false;
        if (await db.Reminders.AnyAsync(r => r.DedupeKey == dedupeKey, ct)) return false;
        db.Schedule(kind, subjectId, now, now, argument, dedupeKey);
        return true;
    }

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
}
