using Bot.Core.Scheduling;
using Bot.Core.Storage;

namespace Bot.Core.Features.Incidents;

/// <summary>
/// The incident's durable effects, one reminder each, written in the same save as the change that needs them:
/// post the card to the owning team's channels, refresh it, ask for the review once resolved, and write chat
/// decisions back to the incident tool.
/// </summary>
public static class IncidentReminders
{
    public const string Post = "incident.post";
    public const string Refresh = "incident.refresh";
    public const string Review = "incident.review";
    public const string Note = "incident.note";
    public const string ResolveInTool = "incident.resolve-in-tool";

    /// <summary>What an intake outcome sets off. The review is asked for once per incident, however often it is resolved.</summary>
    public static async Task ScheduleAfterAsync(BotDbContext db, Incident incident, IntakeOutcome outcome, DateTimeOffset now, CancellationToken ct)
    {
        if (outcome == IntakeOutcome.Created) db.Schedule(Post, incident.Id, now, now, dedupeKey: $"incident:{incident.Id}:post");
        else if (outcome != IntakeOutcome.Unchanged) ScheduleRefresh(db, incident.Id, now);
        if (incident.Status == IncidentStatus.Resolved && outcome is IntakeOutcome.Created or IntakeOutcome.Resolved)
            await db.ScheduleOnceAsync(Review, incident.Id, now, $"incident:{incident.Id}:review", ct);
    }

    /// <summary>
    /// Asks for the card to be refreshed. Several may be asked for in a burst; each yields to a newer one that is
    /// waiting (see the refresh handler), so the card is rewritten about once per burst, with the newest state.
    /// </summary>
    public static void ScheduleRefresh(BotDbContext db, long incidentId, DateTimeOffset now) => db.Schedule(Refresh, incidentId, now, now);

    /// <summary>Writes a chat decision to the incident tool's timeline (a no-op for sources the bot cannot write to).</summary>
    public static void WriteBack(BotDbContext db, long incidentId, DateTimeOffset now, string text) =>
        db.Schedule(Note, incidentId, now, now, argument: Conversation.Plain.Cut(text, 200));
}
