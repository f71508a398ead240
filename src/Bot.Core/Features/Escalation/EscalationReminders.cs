using System.Globalization;
using Bot.Core.Cards;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Events;
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
    public static readonly ReminderKind Post = new("escalation.post");
    public static readonly ReminderKind<PageArgs> Page = new("escalation.page",
        text => text.Split(':', 2) is [var level, var person] ? new PageArgs(int.Parse(level, CultureInfo.InvariantCulture), person) : new PageArgs(0, text));
    public static readonly ReminderKind Thank = new("escalation.thank");
    public static readonly ReminderKind ReplyAtSource = new("escalation.source-reply");
    public static readonly ReminderKind ThankForFalseAlarm = new("escalation.thank-false-alarm");
    public static readonly ReminderKind Refresh = new("escalation.refresh");
    public static readonly ReminderKind<LevelArgs> AckTimeout = new("escalation.ack-timeout", text => new LevelArgs(int.Parse(text, CultureInfo.InvariantCulture)));
    public static readonly ReminderKind<StartIncidentArgs> StartIncident = new("escalation.start-incident", text => new StartIncidentArgs(text));

    /// <summary>Page one person, reached at a level of the team's escalation path.</summary>
    public sealed record PageArgs(int Level, string Person);

    /// <summary>The level of the escalation path a timeout is about.</summary>
    public sealed record LevelArgs(int Level);

    /// <summary>Who asked for the incident (their platform user id), to be told how it went. Only reminders stored before
    /// requests were events carry it.</summary>
    public sealed record StartIncidentArgs(string RequestedBy);

    /// <summary>Schedules a page to everyone a level of the path reaches now.</summary>
    public static int PageLevel(BotDbContext db, Escalation e, Team team, IReadOnlyList<EscalationLevel> path, int level, DateTimeOffset now)
    {
        var targets = level < path.Count ? EscalationTeamSettings.Targets(team, path[level], now) : [];
        foreach (var person in targets)
        {
            db.Schedule(Page, e.Id, now, now, new PageArgs(level, person), dedupeKey: $"escalation:{e.Id}:page:{level}:{person}");
        }
        if (targets.Count == 0)
            e.Record(now, EscalationEventKind.PageFailed, "bot", $"Nobody to page at {EscalationMessages.LevelName(path, level)}");
        return targets.Count;
    }

    internal static async Task<(Escalation E, Team Team, Service? Service)?> LoadAsync(BotDbContext db, long id, CancellationToken ct)
    {
        var e = await db.Escalations.FindAsync([id], ct);
        if (e is null) return null;
        var team = await db.Teams.AsNoTracking().FirstAsync(t => t.Key == e.TeamKey, ct);
        var service = e.ServiceKey is null ? null : await db.Services.AsNoTracking().FirstOrDefaultAsync(s => s.Key == e.ServiceKey, ct);
        return (e, team, service);
    }

    /// <summary>The escalation's living card: its message in the team channel.</summary>
    public static CardSubject CardOf(long escalationId) => new("escalation", escalationId);

    /// <summary>Renders the escalation's card from the state stored now (see <see cref="CardRenderer"/>).</summary>
    internal static CardRenderer Renderer(BotDbContext db, long id, TimeProvider clock, IncidentStarts starts,
        TeamSettings<EscalationTeamSettings> settings) => async (unlessVersion, ct) =>
    {
        var e = await db.Escalations.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (e is null || e.Version == unlessVersion) return null;
        var team = await db.Teams.AsNoTracking().FirstAsync(t => t.Key == e.TeamKey, ct);
        var service = e.ServiceKey is null ? null : await db.Services.AsNoTracking().FirstOrDefaultAsync(s => s.Key == e.ServiceKey, ct);
        return new RenderedCard(await AnnouncementAsync(db, e, team, settings.For(team).Path, service, clock.GetUtcNow(), starts, ct), e.Version);
    };

    /// <summary>The channel message for the escalation as it stands, naming who its current level reaches.</summary>
    internal static async Task<Message> AnnouncementAsync(BotDbContext db, Escalation e, Team team, IReadOnlyList<EscalationLevel> path,
        Service? service, DateTimeOffset now,
        IncidentStarts starts, CancellationToken ct)
    {
        var incident = e.IncidentId is { } incidentId ? await IncidentReadModel.FindAsync(db, incidentId, ct) : null;
        var canStart = incident is null && starts.CanStartFor(team);
        var level = e.Level < path.Count ? path[e.Level] : null;
        var keys = level is null ? [] : EscalationTeamSettings.Targets(team, level, e.LastEscalatedAt ?? e.RaisedAt);
        var names = await db.People.AsNoTracking().Where(p => keys.Contains(p.Key)).Select(p => p.Name).ToListAsync(ct);
        return EscalationMessages.Announcement(e, team, path, service, names, now, canStart, incident);
    }
}

public sealed class PostEscalationHandler(LivingCards cards, TimeProvider clock, IncidentStarts starts,
    TeamSettings<EscalationTeamSettings> settings) : IReminderHandler
{
    public string Kind => EscalationReminders.Post;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        if (await EscalationReminders.LoadAsync(db, reminder.SubjectId, ct) is not var (e, team, _)) return;
        var target = new CardTarget(e.Channel, team.ChannelFor(e.Channel) ?? e.RaisedInConversation);
        var posted = await cards.PostOnceAsync(db, EscalationReminders.CardOf(e.Id), LivingCards.Card, [target],
            EscalationReminders.Renderer(db, e.Id, clock, starts, settings), ct);
        if (posted.Count > 0)
            db.EscalationEvents.Add(new EscalationEvent
            {
                EscalationId = e.Id, At = clock.GetUtcNow(), Kind = EscalationEventKind.Posted, Actor = "bot", Text = $"Posted in {team.Name}'s channel",
            });
    }
}

public sealed class PageHandler(LivingCards cards, TimeProvider clock, IOptions<EscalationOptions> options, TeamSettings<EscalationTeamSettings> settings)
    : ReminderHandler<EscalationReminders.PageArgs>(EscalationReminders.Page)
{
    protected override async Task HandleAsync(Reminder reminder, EscalationReminders.PageArgs args, BotDbContext db, CancellationToken ct)
    {
        if (await EscalationReminders.LoadAsync(db, reminder.SubjectId, ct) is not var (e, team, service)) return;
        if (e.Status != EscalationStatus.Open) return;
        var (level, personKey) = (args.Level, args.Person);
        var teamSettings = settings.For(team);
        var levelName = EscalationMessages.LevelName(teamSettings.Path, level);
        var person = await db.People.AsNoTracking().FirstOrDefaultAsync(x => x.Key == personKey, ct);
        // One page per reminder, also when its run is repeated after a crash or a timeout.
        var sent = person is null
            ? SendOnce.Unreachable
            : await cards.SendOnceAsync(db, EscalationReminders.CardOf(e.Id), "page:" + reminder.Id.ToString(CultureInfo.InvariantCulture),
                CardTarget.Direct(e.Channel, person), EscalationMessages.Page(e, team, service, levelName, options.Value.AckTimeout(teamSettings, e.Urgency)), ct);
        var now = clock.GetUtcNow();
        if (!sent.Delivered)
            e.Record(now, EscalationEventKind.PageFailed, "bot", $"Could not reach {person?.Name ?? personKey} ({levelName}) on {e.Channel}");
        else
            e.Record(now, EscalationEventKind.Paged, "bot", $"Paged {person!.Name} ({levelName})");
    }
}

/// <summary>
/// Thanks whoever raised the escalation, in a direct message (found again after a crash, never sent twice); where the
/// bot cannot write to them directly, privately where they raised it.
/// </summary>
public abstract class ThankRaiserHandler(LivingCards cards, ChannelRegistry channels) : IReminderHandler
{
    public abstract string Kind { get; }

    protected abstract string Purpose { get; }

    protected abstract Message Thanks(Escalation e, Team team);

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        if (await EscalationReminders.LoadAsync(db, reminder.SubjectId, ct) is not var (e, team, _)) return;
        var message = Thanks(e, team);
        var raiser = (e.RaisedByKey is { } key ? await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Key == key, ct) : null)
            ?? new Person { Key = e.RaisedByUserId, Name = e.RaisedByName };
        if (raiser.IdentityOn(e.Channel) is null) raiser.SetIdentity(e.Channel, e.RaisedByUserId);
        var sent = await cards.SendOnceAsync(db, EscalationReminders.CardOf(e.Id), Purpose, CardTarget.Direct(e.Channel, raiser), message, ct);
        if (!sent.Delivered)
            await channels.Get(e.Channel).ReplyPrivatelyAsync(new ConversationAddress(e.Channel, e.RaisedInConversation), e.RaisedByUserId, message, ct);
    }
}

public sealed class ThankHandler(LivingCards cards, ChannelRegistry channels, IOptions<EscalationOptions> options, TeamSettings<EscalationTeamSettings> settings)
    : ThankRaiserHandler(cards, channels)
{
    public override string Kind => EscalationReminders.Thank;

    protected override string Purpose => "thanks";

    protected override Message Thanks(Escalation e, Team team) => EscalationMessages.Thanks(e, team, options.Value.AckTimeout(settings.For(team), e.Urgency));
}

/// <summary>A false alarm thanks whoever raised it: escalating was right.</summary>
public sealed class ThankForFalseAlarmHandler(LivingCards cards, ChannelRegistry channels) : ThankRaiserHandler(cards, channels)
{
    public override string Kind => EscalationReminders.ThankForFalseAlarm;

    protected override string Purpose => "thanks-false-alarm";

    protected override Message Thanks(Escalation e, Team team) => EscalationMessages.FalseAlarmThanks(e, team);
}

public sealed class RefreshEscalationHandler(LivingCards cards, TimeProvider clock, IncidentStarts starts,
    TeamSettings<EscalationTeamSettings> settings) : IReminderHandler
{
    public string Kind => EscalationReminders.Refresh;

    public Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct) =>
        cards.RefreshAsync(db, EscalationReminders.CardOf(reminder.SubjectId), LivingCards.Card,
            EscalationReminders.Renderer(db, reminder.SubjectId, clock, starts, settings), ct);
}

public sealed class AckTimeoutHandler(TimeProvider clock, IOptions<EscalationOptions> options, TeamSettings<EscalationTeamSettings> settings)
    : ReminderHandler<EscalationReminders.LevelArgs>(EscalationReminders.AckTimeout)
{
    protected override async Task HandleAsync(Reminder reminder, EscalationReminders.LevelArgs args, BotDbContext db, CancellationToken ct)
    {
        if (await EscalationReminders.LoadAsync(db, reminder.SubjectId, ct) is not var (e, team, _)) return;
        var level = args.Level;
        var teamSettings = settings.For(team);
        var path = teamSettings.Path;
        if (e.Status != EscalationStatus.Open || e.Level != level) return;

        var now = clock.GetUtcNow();
        var waited = Durations.Format(now - (e.LastEscalatedAt ?? e.RaisedAt));
        var next = level + 1;
        if (next >= path.Count)
        {
            e.Record(now, EscalationEventKind.Exhausted, "bot", $"Still not acknowledged after {waited}; every level of the escalation path has been asked");
        }
        else
        {
            e.Level = next;
            e.LastEscalatedAt = now;
            e.Record(now, EscalationEventKind.Reescalated, "bot", $"Not acknowledged within {waited}; re-escalated to {EscalationMessages.LevelName(path, next)}");
            EscalationReminders.PageLevel(db, e, team, path, next, now);
            db.Publish(new EscalationReescalated(e.Id, e.IncidentId, EscalationMessages.LevelName(path, next), waited), now);
            db.Schedule(EscalationReminders.AckTimeout, e.Id, now + options.Value.AckTimeout(teamSettings, e.Urgency), now,
                new EscalationReminders.LevelArgs(next), dedupeKey: $"escalation:{e.Id}:ack-timeout:{next}");
            BotTelemetry.Reescalations.Add(1, new KeyValuePair<string, object?>("team", team.Key));
        }
        db.Schedule(EscalationReminders.Refresh, e.Id, now, now);
    }
}

/// <summary>
/// Raised from a message: a reply in that message's thread says help was asked for and where, once (found again after a
/// crash, never sent twice). Nobody is mentioned in it: the page already went to the on-call.
/// </summary>
public sealed class ReplyAtSourceHandler(LivingCards cards) : IReminderHandler
{
    public string Kind => EscalationReminders.ReplyAtSource;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        if (await EscalationReminders.LoadAsync(db, reminder.SubjectId, ct) is not var (e, team, _) || e.SourceThread is null) return;
        await cards.SendOnceAsync(db, EscalationReminders.CardOf(e.Id), "source-reply", new CardTarget(e.Channel, e.SourceThread),
            EscalationMessages.AskedFromHere(e, team), ct);
    }
}
