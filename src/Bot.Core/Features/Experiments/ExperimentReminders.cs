using Bot.Core.Cards;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Events;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bot.Core.Features.Experiments;

/// <summary>The experiment's durable effects, one reminder each; handlers re-read it, so one that fires after it closed does nothing.</summary>
public static class ExperimentReminders
{
    public static readonly ReminderKind Post = new("experiment.post");
    public static readonly ReminderKind Refresh = new("experiment.refresh");
    public static readonly ReminderKind Thank = new("experiment.thank");
    public static readonly ReminderKind<DayArgs> Start = new("experiment.start");
    public static readonly ReminderKind<RoundArgs> Due = new("experiment.due");
    public static readonly ReminderKind Publish = new("experiment.publish");

    public enum Moment { Start, Due }

    /// <summary>The date a reminder is for; a revised proposal's older reminders find it changed and do nothing.</summary>
    public sealed record DayArgs(DateOnly Day);

    /// <summary>0 on the end date, then one more every 3 working days until the result is recorded.</summary>
    public sealed record RoundArgs(DateOnly EndsOn, int Round);

    public const int MaxNudges = 20;

    public static CardSubject CardOf(long id) => new("experiment", id);

    public const string TeamPurpose = LivingCards.Card;
    public const string ForumPurpose = "forum";

    /// <summary>The start and end reminders of the dates a proposal has now; a revision keeping its dates keeps its reminders.</summary>
    public static async Task ScheduleDatesAsync(BotDbContext db, Experiment e, string? zone, DateTimeOffset now, CancellationToken ct)
    {
        var id = e.Id;
        var startKey = $"experiment:{id}:start:{e.StartsOn:yyyyMMdd}";
        var endKey = $"experiment:{id}:due:{e.EndsOn:yyyyMMdd}:0";
        var known = await db.Reminders.Where(r => r.DedupeKey == startKey || r.DedupeKey == endKey).Select(r => r.DedupeKey).ToListAsync(ct);
        var start = WorkingTime.MorningOf(e.StartsOn, zone);
        if (!known.Contains(startKey)) db.Schedule(Start, id, start < now ? now : start, now, new DayArgs(e.StartsOn), startKey);
        var end = WorkingTime.MorningOf(e.EndsOn, zone);
        if (!known.Contains(endKey)) db.Schedule(Due, id, end < now ? now : end, now, new RoundArgs(e.EndsOn, 0), endKey);
    }

    /// <summary>
    /// After a late approval: a start- or end-date reminder that already came while the experiment waited did nothing,
    /// so it comes again now (its message is still sent once, whichever of the two runs first).
    /// </summary>
    public static async Task RearmAsync(BotDbContext db, Experiment e, string? zone, DateTimeOffset now, CancellationToken ct)
    {
        var today = TimeZones.LocalDate(now, zone);
        var startKey = $"experiment:{e.Id}:start:{e.StartsOn:yyyyMMdd}";
        var endKey = $"experiment:{e.Id}:due:{e.EndsOn:yyyyMMdd}:0";
        var waiting = await db.Reminders.Where(r => (r.DedupeKey == startKey || r.DedupeKey == endKey) && r.Status == ReminderStatus.Pending)
            .Select(r => r.DedupeKey).ToListAsync(ct);
        if (e.StartsOn <= today && !waiting.Contains(startKey)) await db.ScheduleOnceAsync(Start, e.Id, now, startKey + ":approved", new DayArgs(e.StartsOn), ct);
        if (e.EndsOn <= today && !waiting.Contains(endKey)) await db.ScheduleOnceAsync(Due, e.Id, now, endKey + ":approved", new RoundArgs(e.EndsOn, 0), ct);
    }

    /// <summary>Records a transition, announces it, and has the cards follow; saved with the caller's unit of work.</summary>
    public static ExperimentTransition Move(BotDbContext db, Experiment e, ExperimentStatus to, string by, DateTimeOffset now, string? note = null)
    {
        var from = e.Status;
        var transition = e.Move(to, by, now, note);
        db.Publish(new ExperimentMoved(e.Id, e.TeamKey, from.ToString(), to.ToString(), by, e.Radius.ToString()), now);
        db.Schedule(Refresh, e.Id, now, now);
        return transition;
    }

    /// <summary>An approved experiment whose start date has come is running.</summary>
    public static void StartIfDue(BotDbContext db, Experiment e, DateTimeOffset now, string? zone)
    {
        if (e.Status != ExperimentStatus.Approved) return;
        var today = TimeZones.LocalDate(now, zone);
        if (e.StartsOn <= today) Move(db, e, ExperimentStatus.Running, "bot", now);
    }

    public static Task<Experiment?> LoadAsync(BotDbContext db, long id, CancellationToken ct, bool tracked = true)
    {
        var query = db.Experiments.Include(x => x.Transitions).Include(x => x.Participants).Include(x => x.Concerns).AsSplitQuery();
        return (tracked ? query : query.AsNoTracking()).FirstOrDefaultAsync(x => x.Id == id, ct);
    }

    public static CardRenderer Renderer(BotDbContext db, long id) => async (unlessVersion, ct) =>
    {
        var e = await LoadAsync(db, id, ct, tracked: false);
        if (e is null || e.Version == unlessVersion) return null;
        var team = await db.Teams.AsNoTracking().FirstAsync(t => t.Key == e.TeamKey, ct);
        return new RenderedCard(ExperimentMessages.Card(e, team, await PersonNames.ByKeyAsync(db, ct)), e.Version);
    };

}

/// <summary>Posts the proposal's card to its team's channel and to the experiments forum, once each.</summary>
public sealed class PostExperimentHandler(LivingCards cards, IOptions<ExperimentOptions> options) : IReminderHandler
{
    public string Kind => ExperimentReminders.Post;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        if (await db.SubjectOfAsync<Experiment>(reminder, ct) is not { } e) return;
        var subject = ExperimentReminders.CardOf(e.Id);
        var render = ExperimentReminders.Renderer(db, e.Id);
        await cards.PostOnceAsync(db, subject, ExperimentReminders.TeamPurpose, await cards.TeamTargetsAsync(db, e.TeamKey, ct), render, ct);
        await cards.PostOnceAsync(db, subject, ExperimentReminders.ForumPurpose, cards.ConfiguredTargets(options.Value.ForumChannels), render, ct);
    }
}

public sealed class RefreshExperimentHandler(LivingCards cards, TimeProvider clock) : IReminderHandler
{
    public string Kind => ExperimentReminders.Refresh;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        if (await db.NewerWaitingAsync(reminder, clock.GetUtcNow(), ct)) return;
        var subject = ExperimentReminders.CardOf(reminder.SubjectId);
        var render = ExperimentReminders.Renderer(db, reminder.SubjectId);
        await cards.RefreshAsync(db, subject, ExperimentReminders.TeamPurpose, render, ct);
        await cards.RefreshAsync(db, subject, ExperimentReminders.ForumPurpose, render, ct);
    }
}

/// <summary>Thanks the proposer in a direct message, once.</summary>
public sealed class ThankProposerHandler(LivingCards cards) : IReminderHandler
{
    public string Kind => ExperimentReminders.Thank;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        if (await db.SubjectOfAsync<Experiment>(reminder, ct) is not { } e) return;
        if (await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Key == e.ProposerKey, ct) is not { } proposer) return;
        await cards.PostOnceAsync(db, ExperimentReminders.CardOf(e.Id), "thanks", cards.PersonTargets(proposer), RenderedCard.Fixed(ExperimentMessages.Thanks(e)), ct);
    }
}

/// <summary>On the start date an approved experiment starts running, and its proposer hears it.</summary>
public sealed class StartExperimentHandler(LivingCards cards, TimeProvider clock) : ReminderHandler<ExperimentReminders.DayArgs>(ExperimentReminders.Start)
{
    protected override async Task HandleAsync(Reminder reminder, ExperimentReminders.DayArgs args, BotDbContext db, CancellationToken ct)
    {
        if (await ExperimentReminders.LoadAsync(db, reminder.SubjectId, ct) is not { } e || e.StartsOn != args.Day) return;
        if (await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Key == e.ProposerKey, ct) is not { } proposer) return;
        ExperimentReminders.StartIfDue(db, e, clock.GetUtcNow(), proposer.TimeZone);
        if (e.Status != ExperimentStatus.Running) return;
        await cards.PostOnceAsync(db, ExperimentReminders.CardOf(e.Id), $"start:{args.Day:yyyyMMdd}", cards.PersonTargets(proposer),
            RenderedCard.Fixed(ExperimentMessages.Reminder(e, ExperimentReminders.Moment.Start, 0)), ct);
    }
}

/// <summary>On the end date, then every 3 working days in the proposer's working hours, until the result is recorded.</summary>
public sealed class DueExperimentHandler(LivingCards cards, TimeProvider clock) : ReminderHandler<ExperimentReminders.RoundArgs>(ExperimentReminders.Due)
{
    protected override async Task HandleAsync(Reminder reminder, ExperimentReminders.RoundArgs args, BotDbContext db, CancellationToken ct)
    {
        if (await ExperimentReminders.LoadAsync(db, reminder.SubjectId, ct, tracked: false) is not { } e || e.EndsOn != args.EndsOn) return;
        if (e.Status is not (ExperimentStatus.Approved or ExperimentStatus.Running)) return;
        if (await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Key == e.ProposerKey, ct) is not { } proposer) return;
        var now = clock.GetUtcNow();
        // Approved after its end date: the first reminder comes at the approval and says when it ended.
        var late = TimeZones.LocalDate(now, proposer.TimeZone) > args.EndsOn;
        await cards.PostOnceAsync(db, ExperimentReminders.CardOf(e.Id), $"due:{args.EndsOn:yyyyMMdd}:{args.Round}", cards.PersonTargets(proposer),
            RenderedCard.Fixed(ExperimentMessages.Reminder(e, ExperimentReminders.Moment.Due, args.Round, late)), ct);
        if (args.Round >= ExperimentReminders.MaxNudges) return;
        db.Schedule(ExperimentReminders.Due, e.Id, WorkingTime.AddWorkingDays(now, 3, proposer.TimeZone), now, args with { Round = args.Round + 1 },
            $"experiment:{e.Id}:due:{args.EndsOn:yyyyMMdd}:{args.Round + 1}");
    }
}

/// <summary>Publishes a concluded result to the team channel and the forum, once each, and marks the experiment published.</summary>
public sealed class PublishExperimentHandler(LivingCards cards, IOptions<ExperimentOptions> options, TimeProvider clock)
    : IReminderHandler
{
    public string Kind => ExperimentReminders.Publish;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        if (await ExperimentReminders.LoadAsync(db, reminder.SubjectId, ct) is not { Status: ExperimentStatus.Concluded or ExperimentStatus.Published } e) return;
        var team = await db.Teams.AsNoTracking().FirstAsync(t => t.Key == e.TeamKey, ct);
        var results = RenderedCard.Fixed(ExperimentMessages.Results(e, team));
        var subject = ExperimentReminders.CardOf(e.Id);
        await cards.PostOnceAsync(db, subject, "results", await cards.TeamTargetsAsync(db, e.TeamKey, ct), results, ct);
        await cards.PostOnceAsync(db, subject, "forum-results", cards.ConfiguredTargets(options.Value.ForumChannels), results, ct);
        if (e.Status == ExperimentStatus.Concluded) ExperimentReminders.Move(db, e, ExperimentStatus.Published, "bot", clock.GetUtcNow());
    }
}

/// <summary>The proposer and every follower hear about each transition, once each, in a direct message.</summary>
public sealed class NotifyFollowers(LivingCards cards) : IEventSubscriber<ExperimentMoved>
{
    public string Name => "experiments.notify-followers";

    public async Task HandleAsync(ExperimentMoved moved, EventDelivery delivery, BotDbContext db, CancellationToken ct)
    {
        // A new proposal: its proposer is thanked, and nobody follows it yet.
        if (moved.From.Length == 0) return;
        if (await ExperimentReminders.LoadAsync(db, moved.ExperimentId, ct, tracked: false) is not { } e) return;
        var transition = e.Transitions.Where(t => t.To.ToString() == moved.To).OrderBy(t => t.At).LastOrDefault();
        if (transition is null) return;
        var keys = e.Participants.Where(p => p.Role == ParticipantRole.Follower).Select(p => p.PersonKey).Append(e.ProposerKey).Distinct().ToArray();
        var people = await db.People.AsNoTracking().Where(p => keys.Contains(p.Key)).ToListAsync(ct);
        var message = RenderedCard.Fixed(ExperimentMessages.Moved(e, transition));
        foreach (var person in people)
        {
            // The proposer hears these from their thanks and their start-date reminder; followers hear them here.
            if (person.Key == e.ProposerKey && moved.By == "bot" && moved.To is nameof(ExperimentStatus.Approved) or nameof(ExperimentStatus.Running)) continue;
            await cards.PostOnceAsync(db, ExperimentReminders.CardOf(e.Id), $"moved:{delivery.EventId}:{person.Key}", cards.PersonTargets(person), message, ct);
        }
    }
}
