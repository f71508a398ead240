using Bot.Core.Cards;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Features.Escalation;
using Bot.Core.Features.Incidents;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bot.Core.Features.Reviews;

/// <summary>Loading a review with everything its messages show.</summary>
public static class ReviewStore
{
    public static Task<Review?> LoadAsync(BotDbContext db, long id, CancellationToken ct, bool tracked = false)
    {
        var query = db.Reviews.Include(r => r.Contributions).Include(r => r.Timeline).Include(r => r.ActionItems).AsSplitQuery();
        return (tracked ? query : query.AsNoTracking()).FirstOrDefaultAsync(r => r.Id == id, ct);
    }

    public static async Task<ReviewMessages.Names> NamesAsync(BotDbContext db, CancellationToken ct) => new(await PersonNames.ByKeyAsync(db, ct));

    public static Task<Team> TeamAsync(BotDbContext db, Review r, CancellationToken ct) => db.Teams.AsNoTracking().FirstAsync(t => t.Key == r.TeamKey, ct);

    public static Task<Person?> PersonAsync(BotDbContext db, string key, CancellationToken ct) =>
        db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Key == key, ct);

    /// <summary>The draft as stored now (see <see cref="CardRenderer"/>).</summary>
    public static CardRenderer DraftRenderer(BotDbContext db, long id, TimeProvider clock) => async (unlessVersion, ct) =>
    {
        var review = await LoadAsync(db, id, ct);
        if (review is null || review.Version == unlessVersion) return null;
        return new RenderedCard(await DraftAsync(db, review, clock.GetUtcNow(), ct), review.Version);
    };

    public static async Task<Message> DraftAsync(BotDbContext db, Review review, DateTimeOffset now, CancellationToken ct)
    {
        var owner = await PersonAsync(db, review.OwnerKey, ct);
        var team = await TeamAsync(db, review, ct);
        return ReviewMessages.Draft(review, team, await NamesAsync(db, ct), now, owner?.TimeZone ?? team.TimeZone);
    }

    /// <summary>What <c>/review</c> and the home show a person: their open reviews, their teams', and their open action items.</summary>
    public static async Task<Message> ListAsync(BotDbContext db, Person me, CancellationToken ct, bool withButtons = true)
    {
        var teams = await ReviewFlow.TeamKeysOfAsync(db, me.Key, ct);
        var open = await db.Reviews.AsNoTracking().Include(r => r.Contributions).Include(r => r.Timeline).Include(r => r.ActionItems).AsSplitQuery()
            .Where(r => r.Status == ReviewStatus.Draft && (r.OwnerKey == me.Key || teams.Contains(r.TeamKey)))
            .OrderBy(r => r.DueAt).Take(20).ToListAsync(ct);
        var items = await db.ActionItems.AsNoTracking().Where(a => a.OwnerKey == me.Key && a.Status == ActionStatus.Open)
            .OrderBy(a => a.DueOn).Take(10).ToListAsync(ct);
        var list = ReviewMessages.List(open.Where(r => r.OwnerKey == me.Key).ToArray(), open.Where(r => r.OwnerKey != me.Key).ToArray(),
            items, await NamesAsync(db, ct));
        return withButtons ? list : list with { Blocks = list.Blocks.Where(b => b is not ButtonsBlock).ToArray() };
    }

    /// <summary>Marks the review changed (its version moves on) and asks for its cards to follow.</summary>
    public static void Touch(BotDbContext db, Review review, DateTimeOffset now)
    {
        review.UpdatedAt = now;
        db.Schedule(ReviewReminders.Refresh, review.Id, now, now);
    }
}

/// <summary>Copies the timelines into the review; run again, it adds what is new and marks entries changed at their source as edited.</summary>
public sealed class PrefillTimelineHandler(IncidentTimelines incidents, TimeProvider clock) : IReminderHandler
{
    public string Kind => ReviewReminders.Prefill;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        if (await ReviewStore.LoadAsync(db, reminder.SubjectId, ct, tracked: true) is not { } review) return;
        var lines = new List<(string Source, string Id, DateTimeOffset At, string Text)>();
        if (review.IncidentId is { } incidentId)
            lines.AddRange((await incidents.ReadAsync(db, incidentId, ct)).Select(l => (l.Source, l.SourceId, l.At, $"{l.Text} ({l.Actor})")));
        if (review.EscalationId is { } escalationId)
            lines.AddRange((await EscalationReadModel.TimelineAsync(db, escalationId, ct))
                .Select((l, i) => ("escalation", $"{escalationId}:{i}", l.At, $"{l.Text} ({l.Actor})")));
        var changed = false;
        foreach (var (source, id, at, text) in lines)
        {
            var cut = Plain.Cut(text.ReplaceLineEndings(" "), 4000);
            var known = review.Timeline.FirstOrDefault(t => t.Source == source && t.SourceId == id);
            if (known is null)
            {
                review.Timeline.Add(new ReviewTimelineEntry { At = at, Text = cut, Source = source, SourceId = id });
                changed = true;
            }
            else if (known.Text != cut || known.At != at)
            {
                (known.Text, known.At, known.Edited) = (cut, at, true);
                changed = true;
            }
        }
        if (changed) ReviewStore.Touch(db, review, clock.GetUtcNow());
    }
}

/// <summary>
/// The owner's prompts: the draft as a living card in a direct message, then nudges while required sections are
/// empty. Each is a claimed card, so a prompt run twice sends once; after completion a prompt does nothing.
/// </summary>
public sealed class PromptHandler(LivingCards cards, TimeProvider clock) : ReminderHandler<ReviewReminders.PromptArgs>(ReviewReminders.Prompt)
{
    protected override async Task HandleAsync(Reminder reminder, ReviewReminders.PromptArgs args, BotDbContext db, CancellationToken ct)
    {
        if (await ReviewStore.LoadAsync(db, reminder.SubjectId, ct) is not { Status: ReviewStatus.Draft } review) return;
        if (await ReviewStore.PersonAsync(db, review.OwnerKey, ct) is not { } owner) return;
        var subject = ReviewReminders.CardOf(review.Id);
        if (args.Stage == ReviewReminders.PromptStage.Draft)
        {
            // The tool's timeline may have grown since the review started: read it again before the owner sees it.
            db.Schedule(ReviewReminders.Prefill, review.Id, clock.GetUtcNow(), clock.GetUtcNow());
            await cards.PostOnceAsync(db, subject, ReviewReminders.DraftPurpose + owner.Key, cards.PersonTargets(owner),
                ReviewStore.DraftRenderer(db, review.Id, clock), ct);
            return;
        }
        if (review.MissingRequired.Count == 0) return;
        await cards.PostOnceAsync(db, subject, $"nudge:{reminder.Id}", cards.PersonTargets(owner),
            RenderedCard.Fixed(ReviewMessages.Nudge(review, args.WorkingDays)), ct);
    }
}

/// <summary>After the due window, the team's managers are offered a way to help; nothing when the review is complete.</summary>
public sealed class OverdueHandler(LivingCards cards, TeamSettings<ReviewTeamSettings> settings) : IReminderHandler
{
    public string Kind => ReviewReminders.Overdue;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        if (await ReviewStore.LoadAsync(db, reminder.SubjectId, ct) is not { Status: ReviewStatus.Draft } review) return;
        var team = await ReviewStore.TeamAsync(db, review, ct);
        var names = await ReviewStore.NamesAsync(db, ct);
        var message = ReviewMessages.Overdue(review, team, names, settings.For(team).DueWorkingDays);
        foreach (var key in team.Managers)
        {
            if (await ReviewStore.PersonAsync(db, key, ct) is not { } manager) continue;
            await cards.PostOnceAsync(db, ReviewReminders.CardOf(review.Id), "overdue:" + key, cards.PersonTargets(manager), RenderedCard.Fixed(message), ct);
        }
    }
}

public sealed class RefreshDraftHandler(LivingCards cards, TimeProvider clock) : IReminderHandler
{
    public string Kind => ReviewReminders.Refresh;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        if (await db.NewerWaitingAsync(reminder, clock.GetUtcNow(), ct)) return;
        await cards.RefreshAllAsync(db, ReviewReminders.CardOf(reminder.SubjectId), ReviewReminders.DraftPurpose,
            ReviewStore.DraftRenderer(db, reminder.SubjectId, clock), ct);
    }
}

/// <summary>Shares a completed review's learnings with the team channel and the organisation's learnings channels, once each.</summary>
public sealed class PublishHandler(LivingCards cards, IOptions<ReviewOptions> options) : IReminderHandler
{
    public string Kind => ReviewReminders.Publish;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        if (await ReviewStore.LoadAsync(db, reminder.SubjectId, ct) is not { Status: ReviewStatus.Completed } review) return;
        var team = await ReviewStore.TeamAsync(db, review, ct);
        var message = ReviewMessages.Summary(review, team, await ReviewStore.NamesAsync(db, ct));
        var subject = ReviewReminders.CardOf(review.Id);
        await cards.PostOnceAsync(db, subject, ReviewReminders.SummaryPurpose, await cards.TeamTargetsAsync(db, review.TeamKey, ct), RenderedCard.Fixed(message), ct);
        await cards.PostOnceAsync(db, subject, "learnings", cards.ConfiguredTargets(options.Value.LearningsChannels), RenderedCard.Fixed(message), ct);
    }
}

/// <summary>An action item's message to its owner, with its buttons; refreshed as it changes.</summary>
public sealed class ItemAssignedHandler(LivingCards cards) : IReminderHandler
{
    public string Kind => ReviewReminders.ItemAssigned;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        if (await db.ActionItems.AsNoTracking().FirstOrDefaultAsync(a => a.Id == reminder.SubjectId, ct) is not { } item) return;
        if (await ReviewStore.PersonAsync(db, item.OwnerKey, ct) is not { } owner) return;
        await cards.PostOnceAsync(db, ReviewReminders.ItemCardOf(item.Id), "owner:" + owner.Key, cards.PersonTargets(owner),
            ItemCards.Renderer(db, item.Id), ct);
    }
}

public sealed class ItemRefreshHandler(LivingCards cards, TimeProvider clock) : IReminderHandler
{
    public string Kind => ReviewReminders.ItemRefresh;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        if (await db.NewerWaitingAsync(reminder, clock.GetUtcNow(), ct)) return;
        await cards.RefreshAllAsync(db, ReviewReminders.ItemCardOf(reminder.SubjectId), "owner:", ItemCards.Renderer(db, reminder.SubjectId), ct);
    }
}

/// <summary>On the due date, then weekly while overdue: one reminder each, and none once the item is closed or moved.</summary>
public sealed class ItemDueHandler(LivingCards cards, TimeProvider clock) : ReminderHandler<ReviewReminders.DueArgs>(ReviewReminders.ItemDue)
{
    protected override async Task HandleAsync(Reminder reminder, ReviewReminders.DueArgs args, BotDbContext db, CancellationToken ct)
    {
        if (await db.ActionItems.AsNoTracking().FirstOrDefaultAsync(a => a.Id == reminder.SubjectId, ct) is not { Status: ActionStatus.Open } item) return;
        if (item.DueOn != args.DueOn || await ReviewStore.PersonAsync(db, item.OwnerKey, ct) is not { } owner) return;
        var review = await db.Reviews.AsNoTracking().FirstAsync(r => r.Id == item.ReviewId, ct);
        var names = await ReviewStore.NamesAsync(db, ct);
        var message = ItemCards.Due(item, review, names, args.Week);
        await cards.PostOnceAsync(db, ReviewReminders.ItemCardOf(item.Id), $"due:{args.DueOn:yyyyMMdd}:{args.Week}", cards.PersonTargets(owner),
            RenderedCard.Fixed(message), ct);
        // Weekly while it is overdue: the handler stops at the first run that finds it done or declined.
        ItemCards.ScheduleDue(db, item, owner, args.Week + 1, clock.GetUtcNow());
    }
}

/// <summary>An action item's messages and reminders.</summary>
public static class ItemCards
{
    public static CardRenderer Renderer(BotDbContext db, long id) => async (unlessVersion, ct) =>
    {
        var item = await db.ActionItems.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (item is null || item.Version == unlessVersion) return null;
        var review = await db.Reviews.AsNoTracking().FirstAsync(r => r.Id == item.ReviewId, ct);
        return new RenderedCard(ReviewMessages.Item(item, review, await ReviewStore.NamesAsync(db, ct)), item.Version);
    };

    public static Message Due(ActionItem item, Review review, ReviewMessages.Names names, int week)
    {
        var item2 = ReviewMessages.Item(item, review, names);
        var lead = week == 0
            ? $"*{item.Title}* is due today. Is it done, or does it need more time? Either answer is fine."
            : $"*{item.Title}* is {week} week{(week == 1 ? "" : "s")} past its due date. Done, more time, or not doing it after all? Any answer helps the team plan.";
        return new Message([new TextBlock(lead), .. item2.Blocks], $"Action item due: {item.Title}");
    }

    /// <summary>The reminder for week <paramref name="week"/> after the due date (0: the date itself), 09:00 in the owner's zone.</summary>
    public static void ScheduleDue(BotDbContext db, ActionItem item, Person owner, int week, DateTimeOffset now)
    {
        var at = WorkingTime.MorningOf(item.DueOn.AddDays(7 * week), owner.TimeZone);
        db.Schedule(ReviewReminders.ItemDue, item.Id, at < now ? now : at, now, new ReviewReminders.DueArgs(item.DueOn, week),
            $"action-item:{item.Id}:due:{item.DueOn:yyyyMMdd}:{week}");
    }
}

/// <summary>The home's reviews: my open reviews, my teams', and my open action items.</summary>
public sealed class ReviewHome : Flows.IHomeSection
{
    public async Task<Message?> RenderAsync(BotDbContext db, Person person, DateTimeOffset now, CancellationToken ct) =>
        await ReviewStore.ListAsync(db, person, ct, withButtons: false);
}
