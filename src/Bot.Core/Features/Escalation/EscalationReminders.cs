using System.Globalization;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Features.Incidents;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Bot.Core.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bot.Core.Features.Escalation;

/// <summary>
/// The escalation's durable effects, one reminder each: post to the team channel, page one person, thank the raiser,
/// refresh the channel message, and re-escalate when an acknowledgement is overdue.
/// </summary>
public static class EscalationReminders
{
    public const string Post = "escalation.post";
    public const string Page = "escalation.page";
    public const string Thank = "escalation.thank";
    public const string Refresh = "escalation.refresh";
    public const string AckTimeout = "escalation.ack-timeout";
    public const string StartIncident = "escalation.start-incident";

    /// <summary>Schedules a page to everyone a level of the path reaches now.</summary>
    public static int PageLevel(BotDbContext db, Escalation e, Team team, int level, DateTimeOffset now)
    {
        var targets = level < team.EscalationPath.Count ? OnCallSchedule.Targets(team, team.EscalationPath[level], now) : [];
        foreach (var person in targets)
        {
            db.Schedule(Page, e.Id, now, now, argument: $"{level}:{person}", dedupeKey: $"escalation:{e.Id}:page:{level}:{person}");
        }
        if (targets.Count == 0)
            e.Record(now, EscalationEventKind.PageFailed, "bot", $"Nobody to page at {EscalationMessages.LevelName(team, level)}");
        return targets.Count;
    }

    internal static async Task<(Escalation E, Team Team, Service? Service)?> LoadAsync(BotDbContext db, long id, CancellationToken ct)
    {
        var e = await db.Escalations.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (e is null) return null;
        var team = await db.Teams.AsNoTracking().FirstAsync(t => t.Key == e.TeamKey, ct);
        var service = e.ServiceKey is null ? null : await db.Services.AsNoTracking().FirstOrDefaultAsync(s => s.Key == e.ServiceKey, ct);
        return (e, team, service);
    }

    /// <summary>The channel message for the escalation as it stands, naming who its current level reaches.</summary>
    internal static async Task<Message> AnnouncementAsync(BotDbContext db, Escalation e, Team team, Service? service, DateTimeOffset now,
        IEnumerable<IExternalIncidents> tools, CancellationToken ct)
    {
        var incident = e.IncidentId is { } incidentId ? await db.Incidents.AsNoTracking().FirstOrDefaultAsync(i => i.Id == incidentId, ct) : null;
        var canStart = incident is null && tools.Any(t => t.CanStartFor(team));
        var level = e.Level < team.EscalationPath.Count ? team.EscalationPath[e.Level] : null;
        var keys = level is null ? [] : OnCallSchedule.Targets(team, level, e.LastEscalatedAt ?? e.RaisedAt);
        var names = await db.People.AsNoTracking().Where(p => keys.Contains(p.Key)).Select(p => p.Name).ToListAsync(ct);
        return EscalationMessages.Announcement(e, team, service, names, now, canStart, incident);
    }
}

public sealed class PostEscalationHandler(ChannelRegistry channels, TimeProvider clock, IEnumerable<IExternalIncidents> tools) : IReminderHandler
{
    public string Kind => EscalationReminders.Post;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        if (await EscalationReminders.LoadAsync(db, reminder.SubjectId, ct) is not var (e, team, service)) return;
        if (e.AnnouncementMessageId is not null) return;
        var channel = channels.Get(e.Channel);
        var where = team.ChannelFor(e.Channel) ?? e.RaisedInConversation;
        var posted = await channel.PostAsync(new ConversationAddress(e.Channel, where),
            await EscalationReminders.AnnouncementAsync(db, e, team, service, clock.GetUtcNow(), tools, ct), ct);

        // Recorded at once and without the version check: the message exists now, whatever else changed meanwhile,
        // and a retry of this reminder must find it rather than post a second one.
        await db.Escalations.Where(x => x.Id == e.Id).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.AnnouncementConversation, posted.ConversationId)
            .SetProperty(x => x.AnnouncementMessageId, posted.MessageId), ct);
        db.EscalationEvents.Add(new EscalationEvent
        {
            EscalationId = e.Id, At = clock.GetUtcNow(), Kind = EscalationEventKind.Posted, Actor = "bot", Text = $"Posted in {team.Name}'s channel",
        });

        // Someone may have acted while the post was on its way; their refresh found no message to update, so update it here.
        var version = await db.Escalations.AsNoTracking().Where(x => x.Id == e.Id).Select(x => x.Version).SingleAsync(ct);
        if (version != e.Version)
        {
            var current = await db.Escalations.AsNoTracking().SingleAsync(x => x.Id == e.Id, ct);
            await channel.UpdateAsync(posted, await EscalationReminders.AnnouncementAsync(db, current, team, service, clock.GetUtcNow(), tools, ct), ct);
        }
    }
}

public sealed class PageHandler(ChannelRegistry channels, TimeProvider clock, IOptions<EscalationOptions> options) : IReminderHandler
{
    public string Kind => EscalationReminders.Page;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        if (await EscalationReminders.LoadAsync(db, reminder.SubjectId, ct) is not var (e, team, service)) return;
        if (e.Status != EscalationStatus.Open) return;
        var (levelText, personKey) = (reminder.Argument ?? "").Split(':', 2) is [var l, var p] ? (l, p) : ("0", "");
        var level = int.Parse(levelText, CultureInfo.InvariantCulture);
        var now = clock.GetUtcNow();
        var levelName = EscalationMessages.LevelName(team, level);
        var person = await db.People.AsNoTracking().FirstOrDefaultAsync(x => x.Key == personKey, ct);
        var sent = person is null
            ? null
            : await channels.Get(e.Channel).DirectMessageAsync(person, EscalationMessages.Page(e, team, service, levelName, options.Value.AckTimeout(team, e.Urgency)), ct);
        if (sent is null)
            e.Record(now, EscalationEventKind.PageFailed, "bot", $"Could not reach {person?.Name ?? personKey} ({levelName}) on {e.Channel}");
        else
            e.Record(now, EscalationEventKind.Paged, "bot", $"Paged {person!.Name} ({levelName})");
    }
}

public sealed class ThankHandler(ChannelRegistry channels, IOptions<EscalationOptions> options) : IReminderHandler
{
    public string Kind => EscalationReminders.Thank;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        if (await EscalationReminders.LoadAsync(db, reminder.SubjectId, ct) is not var (e, team, _)) return;
        await channels.Get(e.Channel).ReplyPrivatelyAsync(new ConversationAddress(e.Channel, e.RaisedInConversation), e.RaisedByUserId,
            EscalationMessages.Thanks(e, team, options.Value.AckTimeout(team, e.Urgency)), ct);
    }
}

public sealed class RefreshEscalationHandler(ChannelRegistry channels, TimeProvider clock, IEnumerable<IExternalIncidents> tools) : IReminderHandler
{
    public string Kind => EscalationReminders.Refresh;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        if (await EscalationReminders.LoadAsync(db, reminder.SubjectId, ct) is not var (e, team, service)) return;
        // Not posted yet: the post renders the current state, and re-checks it once posted.
        if (e.Announcement is not { } message) return;
        await channels.Get(e.Channel).UpdateAsync(message, await EscalationReminders.AnnouncementAsync(db, e, team, service, clock.GetUtcNow(), tools, ct), ct);
    }
}

public sealed class AckTimeoutHandler(TimeProvider clock, IOptions<EscalationOptions> options) : IReminderHandler
{
    public string Kind => EscalationReminders.AckTimeout;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        if (await EscalationReminders.LoadAsync(db, reminder.SubjectId, ct) is not var (e, team, _)) return;
        var level = int.Parse(reminder.Argument ?? "0", CultureInfo.InvariantCulture);
        if (e.Status != EscalationStatus.Open || e.Level != level) return;

        var now = clock.GetUtcNow();
        var waited = EscalationText.Duration(now - (e.LastEscalatedAt ?? e.RaisedAt));
        var next = level + 1;
        if (next >= team.EscalationPath.Count)
        {
            e.Record(now, EscalationEventKind.Exhausted, "bot", $"Still not acknowledged after {waited}; every level of the escalation path has been asked");
        }
        else
        {
            e.Level = next;
            e.LastEscalatedAt = now;
            e.Record(now, EscalationEventKind.Reescalated, "bot", $"Not acknowledged within {waited}; re-escalated to {EscalationMessages.LevelName(team, next)}");
            EscalationReminders.PageLevel(db, e, team, next, now);
            if (e.IncidentId is { } incidentId)
                IncidentReminders.WriteBack(db, incidentId, now, $"Escalation {EscalationText.Reference(e.Id)} not acknowledged within {waited}; re-escalated to {EscalationMessages.LevelName(team, next)}");
            db.Schedule(EscalationReminders.AckTimeout, e.Id, now + options.Value.AckTimeout(team, e.Urgency), now,
                argument: next.ToString(CultureInfo.InvariantCulture), dedupeKey: $"escalation:{e.Id}:ack-timeout:{next}");
            BotTelemetry.Reescalations.Add(1, new KeyValuePair<string, object?>("team", team.Key));
        }
        db.Schedule(EscalationReminders.Refresh, e.Id, now, now);
    }
}
