using Bot.Core.Events;
using Bot.Core.Scheduling;
using Bot.Core.Storage;

namespace Bot.Core.Features.Incidents;

/// <summary>
/// The incident's durable effects, one reminder each, written in the same save as the change that needs them:
/// post the card to the owning team's channels, refresh it, and write chat
/// decisions back to the incident tool.
/// </summary>
public static class IncidentReminders
{
    public static readonly ReminderKind Post = new("incident.post");
    public static readonly ReminderKind Refresh = new("incident.refresh");
    public static readonly ReminderKind<NoteArgs> Note = new("incident.note", text => new NoteArgs(text));
    public static readonly ReminderKind ResolveInTool = new("incident.resolve-in-tool");
    public static readonly ReminderKind<LinkArgs> LinkInTool = new("incident.link-in-tool");

    /// <summary>A page to link from the incident in its tool.</summary>
    public sealed record LinkArgs(string Title, string Url);

    /// <summary>A line for the incident tool's timeline.</summary>
    public sealed record NoteArgs(string Text);

    /// <summary>
    /// What an intake outcome sets off: the card, its refresh, and <see cref="IncidentResolved"/> each time it resolves.
    /// A related alert (grouped into a primary) has no card and no review of its own: it refreshes the primary's card.
    /// </summary>
    public static void ScheduleAfter(BotDbContext db, Incident incident, IntakeOutcome outcome, DateTimeOffset now)
    {
        if (incident.GroupedIntoId is { } primary)
        {
            if (outcome != IntakeOutcome.Unchanged) ScheduleRefresh(db, primary, now);
            return;
        }
        if (outcome == IntakeOutcome.Created) db.Schedule(Post, incident.Id, now, now, dedupeKey: $"incident:{incident.Id}:post");
        else if (outcome != IntakeOutcome.Unchanged) ScheduleRefresh(db, incident.Id, now);
        if (incident.Status == IncidentStatus.Resolved && outcome is IntakeOutcome.Created or IntakeOutcome.Resolved)
            db.Publish(new IncidentResolved(incident.Id, incident.TeamKey, incident.Impact), now);
    }

    /// <summary>
    /// Asks for the card to be refreshed. Several may be asked for in a burst; each yields to a newer one that is
    /// waiting (see the refresh handler), so the card is rewritten about once per burst, with the newest state.
    /// </summary>
    public static void ScheduleRefresh(BotDbContext db, long incidentId, DateTimeOffset now) => db.Schedule(Refresh, incidentId, now, now);

    /// <summary>Writes a chat decision to the incident tool's timeline once under <paramref name="dedupeKey"/> (a redelivered event writes nothing more).</summary>
    public static Task<bool> WriteBackOnceAsync(BotDbContext db, long incidentId, DateTimeOffset now, string text, string dedupeKey, CancellationToken ct) =>
        db.ScheduleOnceAsync(Note, incidentId, now, dedupeKey, new NoteArgs(Conversation.Plain.Cut(text, 200)), ct);

    /// <summary>Writes a chat decision to the incident tool's timeline (a no-op for sources the bot cannot write to).</summary>
    public static void WriteBack(BotDbContext db, long incidentId, DateTimeOffset now, string text) =>
        db.Schedule(Note, incidentId, now, now, new NoteArgs(Conversation.Plain.Cut(text, 200)));
}
