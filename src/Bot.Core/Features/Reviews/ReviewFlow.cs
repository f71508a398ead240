using System.Globalization;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Events;
using Bot.Core.Features.Escalation;
using Bot.Core.Features.Incidents;
using Bot.Core.Flows;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Features.Reviews;

/// <summary>
/// /review: the blameless post-incident reviews of my teams. Start one, write it section by section in chat, with
/// anyone on the team contributing, commit to action items, and complete it to share what was learned (OPS03).
/// </summary>
public sealed class ReviewFlow(ReviewStarter starter, BlamelessCoach coach, ReviewExports exports, DirectoryCache directory) : IFlow
{
    public const string Key = "review";

    public FlowInfo Info { get; } = new(Key, "review", "Blameless post-incident reviews: yours and your team's, action items, export",
        "/review [start INC-7 | show PIR-3 | actions | export PIR-3]")
    {
        Ids = new(typeof(ReviewAction), typeof(ReviewForm)),
    };

    private const string Usage = "Try `/review` (your open reviews), `/review start INC-7` or `/review start #12`, `/review show PIR-3`, " +
                                 "`/review actions` or `/review export PIR-3`.";

    public Task OnCommandAsync(Turn turn, Command command, CancellationToken ct)
    {
        var parts = command.Text.Split([' ', '\t', '\n'], 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var argument = parts.Length > 1 ? parts[1] : null;
        return (parts.FirstOrDefault()?.ToLowerInvariant()) switch
        {
            null or "list" or "mine" => ListAsync(turn, ct),
            "start" => StartAsync(turn, argument, ct),
            "show" => ShowAsync(turn, ReviewReference.Parse(argument), ct),
            "actions" => ActionsAsync(turn, ct),
            "export" => ExportAsync(turn, ReviewReference.Parse(argument), ct),
            _ => turn.ReplyPrivatelyAsync(Message.Text($"I don't know `/review {Plain.Cut(command.Text, 40)}`. {Usage}"), ct),
        };
    }

    public async Task OnActionAsync(Turn turn, ButtonAction action, CancellationToken ct)
    {
        if (!action.ActionId.Is(out ReviewAction which)) return;
        switch (which)
        {
            case ReviewAction.Show:
                await ShowAsync(turn, Id(action.Value), ct);
                return;
            case ReviewAction.StartForIncident:
                await StartAsync(turn, IncidentReference.Of(Id(action.Value) ?? 0), ct);
                return;
            case ReviewAction.Export:
                await ExportAsync(turn, Id(action.Value), ct);
                return;
            case ReviewAction.Download:
                return;
            case ReviewAction.ItemDone or ReviewAction.ItemPushBack or ReviewAction.ItemDecline:
                await ItemAsync(turn, which, action, ct);
                return;
        }

        var editing = which == ReviewAction.Edit;
        var state = editing ? ReviewForms.ParseState(action.Value) : Id(action.Value) is { } id ? (id, "") : null;
        if (await WritableAsync(turn, state?.Review, ct) is not var (review, team)) return;
        switch (which)
        {
            case ReviewAction.Edit when review.Section(state!.Value.Section) is { } section:
                if (section.Kind == SectionKind.Actions)
                {
                    var zone = turn.Person?.TimeZone ?? team.TimeZone;
                    var today = TimeZones.LocalDate(turn.Now, zone);
                    await turn.OpenFormAsync(ReviewForms.Action(review, today.AddDays(14)), ct);
                }
                else
                {
                    var mine = review.Contributions.FirstOrDefault(c => c.Section == section.Key && c.By == turn.Person!.Key);
                    await turn.OpenFormAsync(ReviewForms.Section(review, section, mine, turn.Person!.TimeZone), ct);
                }
                return;
            case ReviewAction.Complete:
                await CompleteAsync(turn, review, team, ct);
                return;
            case ReviewAction.HandOver:
                await turn.OpenFormAsync(ReviewForms.HandOver(review), ct);
                return;
            case ReviewAction.Snooze:
                await SnoozeAsync(turn, review, ct);
                return;
            default:
                await turn.ReplyPrivatelyAsync(Message.Text("That button is no longer in use."), ct);
                return;
        }
    }

    public Task<FormResult> OnSubmitAsync(Turn turn, FormSubmission submission, CancellationToken ct) =>
        !submission.FormId.Is(out ReviewForm form) ? Task.FromResult(FormResult.Accepted) : form switch
        {
            ReviewForm.Section => SaveSectionAsync(turn, submission, ct),
            ReviewForm.ActionItem => AddActionAsync(turn, submission, ct),
            ReviewForm.HandOver => HandOverAsync(turn, submission, ct),
            _ => DeclineAsync(turn, submission, ct),
        };

    private async Task ListAsync(Turn turn, CancellationToken ct)
    {
        if (await KnownAsync(turn, ct) is not { } me) return;
        await turn.ReplyPrivatelyAsync(await ReviewStore.ListAsync(turn.Db, me, ct), ct);
    }

    private async Task ActionsAsync(Turn turn, CancellationToken ct)
    {
        if (await KnownAsync(turn, ct) is not { } me) return;
        var teams = await TeamKeysOfAsync(turn.Db, me.Key, ct);
        var open = await turn.Db.ActionItems.AsNoTracking().Where(a => a.Status == ActionStatus.Open)
            .Join(turn.Db.Reviews.AsNoTracking(), a => a.ReviewId, r => r.Id, (a, r) => new { a, r.TeamKey })
            .Where(x => x.a.OwnerKey == me.Key || teams.Contains(x.TeamKey)).OrderBy(x => x.a.DueOn).Take(30).Select(x => x.a).ToListAsync(ct);
        var today = TimeZones.LocalDate(turn.Now, me.TimeZone);
        await turn.ReplyPrivatelyAsync(ReviewMessages.Actions(open.Where(a => a.OwnerKey == me.Key).ToArray(), open.Where(a => a.OwnerKey != me.Key).ToArray(),
            await ReviewStore.NamesAsync(turn.Db, ct), today), ct);
    }

    private async Task StartAsync(Turn turn, string? argument, CancellationToken ct)
    {
        if (await KnownAsync(turn, ct) is null) return;
        var text = argument?.Trim() ?? "";
        ReviewStarter.Started? started;
        string what;
        if (text.StartsWith('#') && long.TryParse(text[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var escalationId))
        {
            what = EscalationReference.Of(escalationId);
            started = await starter.ForEscalationAsync(turn.Db, escalationId, turn.ActorName, promptNow: true, turn.Now, ct);
        }
        else if (text.StartsWith(IncidentReference.Prefix, StringComparison.OrdinalIgnoreCase) && IncidentReference.Parse(text) is { } incidentId)
        {
            what = IncidentReference.Of(incidentId);
            started = await starter.ForIncidentAsync(turn.Db, incidentId, turn.ActorName, promptNow: true, turn.Now, ct);
        }
        else
        {
            await turn.ReplyPrivatelyAsync(Message.Text("Which incident or escalation? `/review start INC-7` or `/review start #12`."), ct);
            return;
        }
        if (started is null)
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"I can't find {what}, or it belongs to no team I know, so there is nobody to review it with."), ct);
            return;
        }
        var reference = ReviewReference.Of(started.Review.Id);
        var owner = (await ReviewStore.NamesAsync(turn.Db, ct)).Of(started.Review.OwnerKey);
        await turn.ReplyPrivatelyAsync(Message.Text(started.IsNew
            ? $"Started blameless review {reference} of {what}. {owner} owns it and gets the draft now; anyone on the team can add to it. Thank you for starting it."
            : $"{what} already has review {reference} (owner {owner}). `/review show {reference}` opens it."), ct);
    }

    private async Task ShowAsync(Turn turn, long? id, CancellationToken ct)
    {
        if (await ReadableAsync(turn, id, ct) is not var (review, _)) return;
        await turn.ReplyPrivatelyAsync(await ReviewStore.DraftAsync(turn.Db, review, turn.Now, ct), ct);
    }

    private async Task ExportAsync(Turn turn, long? id, CancellationToken ct)
    {
        if (await ReadableAsync(turn, id, ct) is not var (review, _)) return;
        await exports.ShareAsync(turn, review, ct);
    }

    private async Task<FormResult> SaveSectionAsync(Turn turn, FormSubmission form, CancellationToken ct)
    {
        var state = ReviewForms.ParseState(form.PrivateState);
        if (await WritableAsync(turn, state?.Review, ct) is not var (review, team)) return FormResult.Accepted;
        if (review.Section(state!.Value.Section) is not { Kind: not SectionKind.Actions } section)
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"{ReviewReference.Of(review.Id)} has no such section any more."), ct);
            return FormResult.Accepted;
        }
        var me = turn.Person!;
        var now = turn.Now;
        if (section.Kind == SectionKind.Timeline)
        {
            var what = form.Value("what");
            var at = ParseWhen(form.Value("when"), me.TimeZone, now);
            var errors = new Dictionary<string, string>();
            if (at is null) errors["when"] = "Write a time like 14:05, or a date and time like 2026-11-23 14:05.";
            if (what is null) errors["what"] = "Say what happened.";
            else if (what.Length > 500) errors["what"] = "Keep it under 500 characters.";
            if (errors.Count > 0) return FormResult.Invalid(errors);
            review.Timeline.Add(new ReviewTimelineEntry { At = at!.Value, Text = what!.ReplaceLineEndings(" "), Source = "added", AddedBy = me.Key, AddedByName = me.Name });
            ReviewStore.Touch(turn.Db, review, now);
            await turn.Db.SaveChangesAsync(ct);
            await turn.ReplyPrivatelyAsync(ReviewMessages.Saved(review, section, coach.Check(what, await NamesAsync(ct))), ct);
            return FormResult.Accepted;
        }

        var text = form.Value("text");
        if (text is { Length: > ReviewForms.TextMax }) return FormResult.Invalid(new Dictionary<string, string> { ["text"] = $"Keep it under {ReviewForms.TextMax} characters." });
        var tags = new List<string>();
        if (section.Kind == SectionKind.Factors && text is not null)
        {
            var tag = form.Value("tag");
            if (tag is null || (tag != ReviewForms.OtherTag && !ReviewTemplate.FactorTags.Contains(tag)))
                return FormResult.Invalid(new Dictionary<string, string> { ["tag"] = "Pick the kind of factor." });
            if (tag != ReviewForms.OtherTag) tags.Add(tag);
            tags.AddRange((form.Value("tags") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(t => Plain.Cut(t.ToLowerInvariant(), 32)).Where(t => !tags.Contains(t)).Take(5));
        }
        var mine = review.Contributions.FirstOrDefault(c => c.Section == section.Key && c.By == me.Key);
        IReadOnlyList<CoachNote> notes = [];
        if (text is null)
        {
            if (mine is null) return FormResult.Invalid(new Dictionary<string, string> { ["text"] = "Write something, even a line." });
            review.Contributions.Remove(mine);
        }
        else
        {
            notes = coach.Check(text, await NamesAsync(ct));
            mine ??= AddContribution(review, section.Key, me);
            (mine.Text, mine.At, mine.Tags, mine.Notes, mine.ByName) = (text, now, tags, [.. notes], me.Name);
        }
        ReviewStore.Touch(turn.Db, review, now);
        await turn.Db.SaveChangesAsync(ct);
        await turn.ReplyPrivatelyAsync(text is null
            ? Message.Text($"Removed your part of *{section.Title}* in {ReviewReference.Of(review.Id)}.")
            : ReviewMessages.Saved(review, section, notes), ct);
        return FormResult.Accepted;
    }

    private static ReviewContribution AddContribution(Review review, string section, Person me)
    {
        var contribution = new ReviewContribution { Section = section, By = me.Key };
        review.Contributions.Add(contribution);
        return contribution;
    }

    private async Task<FormResult> AddActionAsync(Turn turn, FormSubmission form, CancellationToken ct)
    {
        if (await WritableAsync(turn, Id(form.PrivateState), ct) is not var (review, _)) return FormResult.Accepted;
        var errors = new Dictionary<string, string>();
        var title = form.Value("title");
        if (title is null) errors["title"] = "Say what will change.";
        else if (title.Length > ReviewForms.TitleMax) errors["title"] = $"Keep it under {ReviewForms.TitleMax} characters.";
        var owner = await directory.PickedAsync(turn.Db, turn.Interaction.Channel, form.Value("owner"), ct);
        if (owner is null) errors["owner"] = "Pick someone from the directory.";
        var today = TimeZones.LocalDate(turn.Now, turn.Person!.TimeZone);
        if (!DateOnly.TryParseExact(form.Value("due"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var due))
            errors["due"] = "Pick a due date.";
        else if (due < today || due > today.AddYears(1)) errors["due"] = "Pick a date from today to a year out.";
        if (!form.TryChoice("kind", out ActionKind kind)) errors["kind"] = "Pick the kind of action.";
        if (errors.Count > 0) return FormResult.Invalid(errors);

        var now = turn.Now;
        var item = new ActionItem
        {
            Title = title!.ReplaceLineEndings(" "), OwnerKey = owner!.Key, DueOn = due, Kind = kind, Status = ActionStatus.Open,
            CreatedBy = turn.Person.Key, CreatedAt = now,
        };
        review.ActionItems.Add(item);
        ReviewStore.Touch(turn.Db, review, now);
        await using (var tx = await turn.Db.Database.BeginTransactionAsync(ct))
        {
            await turn.Db.SaveChangesAsync(ct);
            turn.Db.Schedule(ReviewReminders.ItemAssigned, item.Id, now, now, $"action-item:{item.Id}:assigned");
            ItemCards.ScheduleDue(turn.Db, item, owner, 0, now);
            await turn.Db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        await turn.ReplyPrivatelyAsync(Message.Text($"Added action item \"{item.Title}\" for {owner.Name}, due {ReviewText.Day(due)}. They'll get a message with it."), ct);
        return FormResult.Accepted;
    }

    private async Task CompleteAsync(Turn turn, Review review, Directory.Team team, CancellationToken ct)
    {
        var me = turn.Person!;
        if (review.OwnerKey != me.Key && !team.Managers.Contains(me.Key))
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"Thanks for helping with {ReviewReference.Of(review.Id)}! Completing it is for its owner or a {team.Name} manager, " +
                                                        "so they can check it reads well as a whole."), ct);
            return;
        }
        if (review.MissingRequired is { Count: > 0 } missing)
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"Almost there: {ReviewReference.Of(review.Id)} still needs {string.Join(", ", missing.Select(s => $"*{s.Title}*"))}."), ct);
            return;
        }
        var now = turn.Now;
        review.Status = ReviewStatus.Completed;
        review.CompletedAt = now;
        review.CompletedBy = me.Name;
        ReviewStore.Touch(turn.Db, review, now);
        // Whatever is still pending would only find it complete; cancelling keeps the queue honest.
        await turn.Db.CancelPendingAsync(ReviewReminders.Prompt, review.Id, now, ct);
        await turn.Db.CancelPendingAsync(ReviewReminders.Overdue, review.Id, now, ct);
        turn.Db.Schedule(ReviewReminders.Publish, review.Id, now, now, $"review:{review.Id}:publish");
        var factors = review.Sections.FirstOrDefault(s => s.Kind == SectionKind.Factors) is { } f
            ? review.ContributionsTo(f.Key).SelectMany(c => c.Tags).Distinct().ToArray()
            : [];
        turn.Db.Publish(new ReviewCompleted(review.Id, review.IncidentId, review.EscalationId, review.TeamKey, review.Title,
            await exports.PermanentLinkAsync(review.Id, ct), factors, review.ActionItems.Count), now);
        await turn.Db.SaveChangesAsync(ct);
        await turn.ReplyPrivatelyAsync(Message.Text($"{ReviewReference.Of(review.Id)} is complete. Thank you, and thanks to its {review.Participants} contributors: " +
                                                    $"its learnings are being shared with {team.Name} and the organisation."), ct);
    }

    private async Task SnoozeAsync(Turn turn, Review review, CancellationToken ct)
    {
        var now = turn.Now;
        // The prompts come in the owner's working hours, whoever snoozes them.
        var owner = await turn.Db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Key == review.OwnerKey, ct);
        var zone = owner?.TimeZone ?? turn.Person!.TimeZone;
        var pending = await turn.Db.Reminders.Where(r => r.Kind == ReviewReminders.Prompt.Name && r.SubjectId == review.Id && r.Status == ReminderStatus.Pending)
            .ToListAsync(ct);
        if (pending.Count == 0)
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"Nothing is scheduled for {ReviewReference.Of(review.Id)} to snooze."), ct);
            return;
        }
        foreach (var reminder in pending)
        {
            reminder.Status = ReminderStatus.Cancelled;
            reminder.CompletedAt = now;
            var at = WorkingTime.AddWorkingDays(reminder.DueAt > now ? reminder.DueAt : now, 1, zone);
            turn.Db.Schedule(ReviewReminders.Prompt, review.Id, at, now, ReviewReminders.Prompt.Read(reminder));
        }
        await turn.Db.SaveChangesAsync(ct);
        var next = pending.Min(r => r.DueAt > now ? r.DueAt : now);
        await turn.ReplyPrivatelyAsync(Message.Text($"Snoozed: I'll come back about {ReviewReference.Of(review.Id)} on " +
                                                    $"{ReviewText.Day(WorkingTime.AddWorkingDays(next, 1, zone), zone)}."), ct);
    }

    private async Task<FormResult> HandOverAsync(Turn turn, FormSubmission form, CancellationToken ct)
    {
        if (await WritableAsync(turn, Id(form.PrivateState), ct) is not var (review, _)) return FormResult.Accepted;
        var owner = await directory.PickedAsync(turn.Db, turn.Interaction.Channel, form.Value("owner"), ct);
        if (owner is null) return FormResult.Invalid(new Dictionary<string, string> { ["owner"] = "Pick someone from the directory." });
        if (owner.Key == review.OwnerKey) return FormResult.Invalid(new Dictionary<string, string> { ["owner"] = $"{owner.Name} owns it already." });
        var now = turn.Now;
        var before = review.OwnerKey;
        review.OwnerKey = owner.Key;
        review.Timeline.Add(new ReviewTimelineEntry { At = now, Source = "review", Text = $"Review handed over to {owner.Name} by {turn.ActorName}" });
        ReviewStore.Touch(turn.Db, review, now);
        turn.Db.Schedule(ReviewReminders.Prompt, review.Id, now, now, new ReviewReminders.PromptArgs(ReviewReminders.PromptStage.Draft));
        await turn.Db.SaveChangesAsync(ct);
        var names = await ReviewStore.NamesAsync(turn.Db, ct);
        await turn.ReplyPrivatelyAsync(Message.Text($"{owner.Name} owns {ReviewReference.Of(review.Id)} now (it was {names.Of(before)}); they get the draft now. Thank you."), ct);
        return FormResult.Accepted;
    }

    private async Task ItemAsync(Turn turn, ReviewAction which, ButtonAction action, CancellationToken ct)
    {
        if (await ItemOfAsync(turn, Id(action.Value), ct) is not var (item, owner)) return;
        var now = turn.Now;
        switch (which)
        {
            case ReviewAction.ItemDecline:
                await turn.OpenFormAsync(ReviewForms.Decline(item), ct);
                return;
            case ReviewAction.ItemDone:
                item.Status = ActionStatus.Done;
                item.ClosedAt = now;
                await turn.Db.CancelPendingAsync(ReviewReminders.ItemDue, item.Id, now, ct);
                await turn.ReplyPrivatelyAsync(Message.Text($"Marked \"{item.Title}\" done. Thank you: this is how reviews turn into a safer system."), ct);
                break;
            default:
                item.DueOn = item.DueOn.AddDays(7);
                item.PushedBack++;
                await turn.Db.CancelPendingAsync(ReviewReminders.ItemDue, item.Id, now, ct);
                ItemCards.ScheduleDue(turn.Db, item, owner, 0, now);
                await turn.ReplyPrivatelyAsync(Message.Text($"Moved \"{item.Title}\" to {ReviewText.Day(item.DueOn)}. No problem; I'll check in then."), ct);
                break;
        }
        await TouchItemAsync(turn, item, now, ct);
    }

    private async Task<FormResult> DeclineAsync(Turn turn, FormSubmission form, CancellationToken ct)
    {
        if (await ItemOfAsync(turn, Id(form.PrivateState), ct) is not var (item, _)) return FormResult.Accepted;
        var why = form.Value("why");
        if (why is null) return FormResult.Invalid(new Dictionary<string, string> { ["why"] = "Say why, so the team knows what was decided." });
        if (why.Length > 500) return FormResult.Invalid(new Dictionary<string, string> { ["why"] = "Keep it under 500 characters." });
        var now = turn.Now;
        item.Status = ActionStatus.NotDoing;
        item.Note = why.ReplaceLineEndings(" ");
        item.ClosedAt = now;
        await turn.Db.CancelPendingAsync(ReviewReminders.ItemDue, item.Id, now, ct);
        await TouchItemAsync(turn, item, now, ct);
        await turn.ReplyPrivatelyAsync(Message.Text($"Noted: not doing \"{item.Title}\" ({item.Note}). Saying so openly is better than letting it rot."), ct);
        return FormResult.Accepted;
    }

    private static async Task TouchItemAsync(Turn turn, ActionItem item, DateTimeOffset now, CancellationToken ct)
    {
        turn.Db.Schedule(ReviewReminders.ItemRefresh, item.Id, now, now);
        var review = await turn.Db.Reviews.FirstAsync(r => r.Id == item.ReviewId, ct);
        ReviewStore.Touch(turn.Db, review, now);
        await turn.Db.SaveChangesAsync(ct);
    }

    /// <summary>An open action item the actor may act on: its owner, the review's owner, or a manager of the team.</summary>
    private static async Task<(ActionItem Item, Person Owner)?> ItemOfAsync(Turn turn, long? id, CancellationToken ct)
    {
        var item = id is { } i ? await turn.Db.ActionItems.FirstOrDefaultAsync(a => a.Id == i, ct) : null;
        if (item is null)
        {
            await turn.ReplyPrivatelyAsync(Message.Text("I can't find that action item any more."), ct);
            return null;
        }
        var review = await turn.Db.Reviews.AsNoTracking().FirstAsync(r => r.Id == item.ReviewId, ct);
        var team = await ReviewStore.TeamAsync(turn.Db, review, ct);
        var me = turn.Person?.Key;
        if (me is null || (me != item.OwnerKey && me != review.OwnerKey && !team.Managers.Contains(me)))
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"Only the item's owner, the review's owner or a {team.Name} manager can change \"{item.Title}\"."), ct);
            return null;
        }
        if (item.Status != ActionStatus.Open)
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"\"{item.Title}\" is already {ReviewText.Label(item.Status).ToLowerInvariant()}."), ct);
            return null;
        }
        var owner = await ReviewStore.PersonAsync(turn.Db, item.OwnerKey, ct);
        return owner is null ? null : (item, owner);
    }

    /// <summary>The review, for someone who may read it: its team's members, managers and on-call, and its owner.</summary>
    private static async Task<(Review Review, Team Team)?> ReadableAsync(Turn turn, long? id, CancellationToken ct, bool tracked = false)
    {
        if (await KnownAsync(turn, ct) is not { } me) return null;
        var review = id is { } i ? await ReviewStore.LoadAsync(turn.Db, i, ct, tracked) : null;
        if (review is null)
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"I can't find that review. {Usage}"), ct);
            return null;
        }
        var team = await ReviewStore.TeamAsync(turn.Db, review, ct);
        if (review.OwnerKey != me.Key && !team.Includes(me.Key))
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"{ReviewReference.Of(review.Id)} belongs to {team.Name}; ask them to share it, or read the learnings they publish."), ct);
            return null;
        }
        return (review, team);
    }

    /// <summary>The review, tracked, for someone who may write to it while it is a draft.</summary>
    private static async Task<(Review Review, Team Team)?> WritableAsync(Turn turn, long? id, CancellationToken ct)
    {
        if (await ReadableAsync(turn, id, ct, tracked: true) is not var (review, team)) return null;
        if (review.Status == ReviewStatus.Completed)
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"{ReviewReference.Of(review.Id)} was completed by {review.CompletedBy}; its learnings are published."), ct);
            return null;
        }
        return (review, team);
    }

    private static async Task<Person?> KnownAsync(Turn turn, CancellationToken ct)
    {
        if (turn.Person is { } person) return person;
        await turn.ReplyPrivatelyAsync(Message.Text("Reviews belong to teams, and you are not in the bot's directory yet. Ask whoever runs the bot to add you."), ct);
        return null;
    }

    internal static async Task<List<string>> TeamKeysOfAsync(BotDbContext db, string key, CancellationToken ct) =>
        (await db.Teams.AsNoTracking().ToListAsync(ct)).Where(t => t.Includes(key)).Select(t => t.Key).ToList();

    private async Task<IEnumerable<string>> NamesAsync(CancellationToken ct) => (await directory.GetAsync(ct)).People.Select(p => p.Name);

    private static long? Id(string? value) => long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>"14:05" (today) or "2026-11-23 14:05", in <paramref name="zone"/>; null when it is neither or in the future.</summary>
    public static DateTimeOffset? ParseWhen(string? text, string zone, DateTimeOffset now)
    {
        if (text is null) return null;
        var tz = TimeZones.Find(zone);
        DateTime local;
        if (TimeOnly.TryParseExact(text, "H:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            local = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, tz).DateTime).ToDateTime(time);
        else if (!DateTime.TryParseExact(text, "yyyy-MM-dd H:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out local))
            return null;
        if (tz.IsInvalidTime(local)) return null;
        var at = new DateTimeOffset(local, tz.GetUtcOffset(local)).ToUniversalTime();
        return at > now.AddMinutes(5) ? null : at;
    }
}
