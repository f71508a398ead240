using System.Text.Json;
using Bot.Core.Storage;

namespace Bot.Core.Scheduling;

/// <summary>A kind of reminder without an argument, e.g. "escalation.post"; its handler is registered with it.</summary>
public sealed record ReminderKind(string Name)
{
    public static implicit operator string(ReminderKind kind) => kind.Name;
}

/// <summary>
/// A kind of reminder whose argument is a typed record, serialized once as JSON. <paramref name="Legacy"/> reads
/// arguments stored in the plain form used before, so reminders pending across an upgrade still run.
/// </summary>
public sealed record ReminderKind<TArgs>(string Name, Func<string, TArgs>? Legacy = null) where TArgs : class
{
    public static implicit operator string(ReminderKind<TArgs> kind) => kind.Name;

    public string Write(TArgs args) => JsonSerializer.Serialize(args, BotDbContext.JsonOptions);

    public TArgs Read(Reminder reminder)
    {
        var text = reminder.Argument ?? throw new InvalidOperationException($"Reminder {reminder.Id} ({Name}) has no argument.");
        if (!text.StartsWith('{') && Legacy is not null) return Legacy(text);
        return JsonSerializer.Deserialize<TArgs>(text, BotDbContext.JsonOptions)
            ?? throw new InvalidOperationException($"Reminder {reminder.Id} ({Name}) has an empty argument.");
    }
}

/// <summary>Performs a reminder kind with a typed argument.</summary>
public abstract class ReminderHandler<TArgs>(ReminderKind<TArgs> kind) : IReminderHandler where TArgs : class
{
    public string Kind => kind.Name;

    public Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken cancellationToken) =>
        HandleAsync(reminder, kind.Read(reminder), db, cancellationToken);

    protected abstract Task HandleAsync(Reminder reminder, TArgs args, BotDbContext db, CancellationToken cancellationToken);
}
