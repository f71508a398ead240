using System.Globalization;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Events;
using Bot.Core.Features.Reviews;
using Bot.Core.Flows;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Features.Experiments;

/// <summary>
/// /propose-experiment: an open forum for improvement experiments (OPS03 BP05). A short form, a card in the team's
/// channel and the experiments forum where people support, join, follow or raise concerns, approval proportionate
/// to the blast radius, reminders on the start and end dates, and a published result.
/// </summary>
public sealed class ExperimentFlow(DirectoryCache directory) : IFlow
{
    public const string Key = "experiment";

    public FlowInfo Info { get; } = new(Key, "propose-experiment", "Propose an improvement experiment in the open; list or show experiments",
        "/propose-experiment [title | list | show EXP-4]", Aliases: ["experiments"])
    {
        Ids = new(typeof(ExperimentAction), typeof(ExperimentForm)),
    };

    public async Task OnCommandAsync(Turn turn, Command command, CancellationToken ct)
    {
        if (command.From is { } message)
        {
            // "Propose an experiment from this message": its first line is the title, and the link points back to it.
            var firstLine = command.Text.Split('\n', 2)[0].Trim();
            await OpenProposalAsync(turn, new ExperimentForms.Prefill(Title: firstLine, Link: message.Url), ct);
            return;
        }
        var parts = command.Text.Split([' ', '\t', '\n'], 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var first = parts.FirstOrDefault()?.ToLowerInvariant();
        var listing = command.Name == "experiments" || first == "list";
        if (first == "show" && parts.Length > 1 && ExperimentReference.Parse(parts[1]) is { } id)
        {
            await ShowAsync(turn, id, ct);
            return;
        }
        if (listing && first is null or "list")
        {
            await ListAsync(turn, ct);
            return;
        }
        if (command.Name == "experiments")
        {
            await turn.ReplyPrivatelyAsync(Message.Text("Try `/experiments`, `/experiments show EXP-4`, or `/propose-experiment [title]` to propose one."), ct);
            return;
        }
        await OpenProposalAsync(turn, new ExperimentForms.Prefill(Title: command.Text), ct);
    }

    public async Task OnActionAsync(Turn turn, ButtonAction action, CancellationToken ct)
    {
        if (!action.ActionId.Is(out ExperimentAction which)) return;
        switch (which)
        {
            case ExperimentAction.FromActionItem:
                await FromActionItemAsync(turn, Id(action.Value), ct);
                return;
            case ExperimentAction.FromFactor:
                await FromFactorAsync(turn, Id(action.Value), ct);
                return;
            case ExperimentAction.Open:
                return;
        }
        if (await FindAsync(turn, Id(action.Value), ct) is not { } e) return;
        switch (which)
        {
            case ExperimentAction.Show:
                await ShowAsync(turn, e.Id, ct);
                break;
            case ExperimentAction.Support:
                await ToggleAsync(turn, e, ParticipantRole.Supporter, "You support", "You no longer support", ct);
                break;
            case ExperimentAction.Join:
                await ToggleAsync(turn, e, ParticipantRole.Joiner, "You joined", "You left", ct);
                break;
            case ExperimentAction.Follow:
                await ToggleAsync(turn, e, ParticipantRole.Follower, "You follow", "You no longer follow", ct);
                break;
            case ExperimentAction.Concern when await OpenOnlyAsync(turn, e, ct):
                await turn.OpenFormAsync(ExperimentForms.Concern(e), ct);
                break;
            case ExperimentAction.Approve when await DeciderAsync(turn, e, ct):
                await ApproveAsync(turn, e, ct);
                break;
            case ExperimentAction.AskForChanges when await DeciderAsync(turn, e, ct):
                await turn.OpenFormAsync(ExperimentForms.Changes(e), ct);
                break;
            case ExperimentAction.Revise when await ProposerAsync(turn, e, "revise it", ct):
                var teams = await MyTeamListAsync(turn, ct);
                await turn.OpenFormAsync(ExperimentForms.Propose(new ExperimentForms.Prefill(Revising: e), teams, Today(turn)), ct);
                break;
            case ExperimentAction.RecordResult when await ConcluderAsync(turn, e, ct):
                await turn.OpenFormAsync(ExperimentForms.Conclude(e), ct);
                break;
            case ExperimentAction.Withdraw when await ProposerAsync(turn, e, "withdraw it", ct) && await OpenOnlyAsync(turn, e, ct):
                ExperimentReminders.Move(turn.Db, e, ExperimentStatus.Withdrawn, turn.ActorName, turn.Now);
                await turn.Db.SaveChangesAsync(ct);
                await turn.ReplyPrivatelyAsync(Message.Text($"{ExperimentReference.Of(e.Id)} is withdrawn. Thank you for saying so openly."), ct);
                break;
            default:
                // Refused: the role or status check above told the person why.
                break;
        }
    }

    public Task<FormResult> OnSubmitAsync(Turn turn, FormSubmission submission, CancellationToken ct) =>
        !submission.FormId.Is(out ExperimentForm form) ? Task.FromResult(FormResult.Accepted) : form switch
        {
            ExperimentForm.Propose => ProposeAsync(turn, submission, ct),
            ExperimentForm.Concern => ConcernAsync(turn, submission, ct),
            ExperimentForm.Changes => ChangesAsync(turn, submission, ct),
            _ => ConcludeAsync(turn, submission, ct),
        };

    private async Task OpenProposalAsync(Turn turn, ExperimentForms.Prefill prefill, CancellationToken ct)
    {
        // The form opens first: Slack's trigger_id lasts 3 seconds, and the teams are in the directory snapshot.
        var snapshot = await directory.GetAsync(ct);
        var teams = turn.Person is { } me ? snapshot.Teams.Where(t => t.Includes(me.Key)).ToArray() : [];
        await turn.OpenFormAsync(ExperimentForms.Propose(prefill, teams.Length > 0 ? teams : snapshot.Teams, Today(turn)), ct);
    }

    private async Task<FormResult> ProposeAsync(Turn turn, FormSubmission form, CancellationToken ct)
    {
        if (turn.Person is not { } me)
        {
            await turn.ReplyPrivatelyAsync(Message.Text("Experiments belong to teams, and you are not in the bot's directory yet. Ask whoever runs the bot to add you."), ct);
            return FormResult.Accepted;
        }
        var errors = new Dictionary<string, string>();
        string? Text(string field, int max, string missing, bool required = true)
        {
            var value = form.Value(field);
            if (value is null && required) errors[field] = missing;
            else if (value is { } v && v.Length > max) errors[field] = $"Keep it under {max} characters.";
            return value;
        }
        var title = Text("title", ExperimentForms.TitleMax, "Give it a short title.");
        var hypothesis = Text("hypothesis", ExperimentForms.TextMax, "Say what you believe: \"We believe <change> will <outcome>\".");
        var metric = Text("metric", ExperimentForms.LineMax, "Say what you will measure.");
        var threshold = Text("threshold", ExperimentForms.LineMax, "Say what result counts as success.");
        if (!form.TryChoice("kind", out ExperimentKind kind)) errors["kind"] = "Pick the kind of experiment.";
        if (!form.TryChoice("radius", out BlastRadius radius)) errors["radius"] = "Pick how far it could reach.";
        var today = Today(turn);
        var starts = today;
        if (form.Value("starts") is { } startText && !DateOnly.TryParseExact(startText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out starts))
            errors["starts"] = "Pick a start date.";
        else if (starts < today) errors["starts"] = "The start can't be in the past.";
        if (!DateOnly.TryParseExact(form.Value("ends"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var ends))
            errors["ends"] = "Pick an end date: experiments are small and end.";
        else if (ends < today) errors["ends"] = "The end can't be in the past.";
        else if (ends > today.AddDays(ExperimentForms.MaxDays)) errors["ends"] = $"Keep it within {ExperimentForms.MaxDays} days; a longer one is several experiments.";
        else if (ends < starts) errors["ends"] = "The end comes after the start.";
        var rollback = Text("rollback", ExperimentForms.TextMax, "Say when you would stop and how you would roll back.", required: radius != BlastRadius.TeamOnly);
        Person? sponsor = null;
        if (form.Value("sponsor") is { } sponsorValue && (sponsor = await directory.PickedAsync(turn.Db, turn.Interaction.Channel, sponsorValue, ct)) is null) errors["sponsor"] = "Pick someone from the directory.";
        else if (sponsor is not null && sponsor.Key == me.Key) errors["sponsor"] = "A sponsor is someone other than you: they can approve what you propose.";
        var link = form.Value("link");
        if (link is not null && (link.Length > ExperimentForms.LinkMax || !Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")))
            errors["link"] = "Give a full http(s) link, or leave it empty.";
        var teams = await MyTeamListAsync(turn, ct);
        var teamKey = form.Value("team") ?? teams.FirstOrDefault()?.Key;
        if (teamKey is null || teams.All(t => t.Key != teamKey)) errors[teams.Count > 1 ? "team" : "title"] = "Experiments are proposed for one of your teams; you are in none yet.";
        if (errors.Count > 0) return FormResult.Invalid(errors);

        var now = turn.Now;
        var revising = form.PrivateState is { } state && state.StartsWith("revise:", StringComparison.Ordinal) ? Id(state[7..]) : null;
        var e = revising is { } rid ? await FindAsync(turn, rid, ct) : new Experiment { ProposerKey = me.Key, ProposerName = me.Name, ProposedAt = now };
        if (e is null) return FormResult.Accepted;
        if (revising is not null && (e.ProposerKey != me.Key || e.Status != ExperimentStatus.ChangesRequested))
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"{ExperimentReference.Of(e.Id)} can be revised by its proposer after changes were asked for."), ct);
            return FormResult.Accepted;
        }
        (e.TeamKey, e.Title, e.Hypothesis, e.Metric, e.Threshold, e.Kind, e.Radius, e.StartsOn, e.EndsOn, e.Rollback, e.SponsorKey, e.Link) =
            (teamKey!, Line(title!), hypothesis!, Line(metric!), Line(threshold!), kind, radius, starts, ends, rollback, sponsor?.Key, link);
        // The form's state comes back from the client: only a review that exists is named on the card.
        if (form.PrivateState is { } from && from.StartsWith("from:", StringComparison.Ordinal) && ReviewReference.Parse(from[5..]) is { } reviewId
            && await ReviewReadModel.ExistsAsync(turn.Db, reviewId, ct))
            e.From = ReviewReference.Of(reviewId);

        await using var tx = await turn.Db.Database.BeginTransactionAsync(ct);
        if (revising is null)
        {
            e.Status = ExperimentStatus.Proposed;
            e.Transitions.Add(new ExperimentTransition { From = ExperimentStatus.Proposed, To = ExperimentStatus.Proposed, By = me.Name, At = now });
            e.Participants.Add(new ExperimentParticipant { PersonKey = me.Key, Role = ParticipantRole.Follower, At = now });
            turn.Db.Experiments.Add(e);
            await turn.Db.SaveChangesAsync(ct);
            turn.Db.Publish(new ExperimentMoved(e.Id, e.TeamKey, "", nameof(ExperimentStatus.Proposed), me.Name, e.Radius.ToString()), now);
            turn.Db.Schedule(ExperimentReminders.Post, e.Id, now, now, $"experiment:{e.Id}:post");
            turn.Db.Schedule(ExperimentReminders.Thank, e.Id, now, now, $"experiment:{e.Id}:thank");
        }
        else
        {
            ExperimentReminders.Move(turn.Db, e, ExperimentStatus.Proposed, me.Name, now, "revised");
        }
        // Small and reversible needs no gate: approved on proposal.
        if (!e.NeedsApproval) ExperimentReminders.Move(turn.Db, e, ExperimentStatus.Approved, "bot", now, "small and reversible");
        await ExperimentReminders.ScheduleDatesAsync(turn.Db, e, me.TimeZone, now, ct);
        ExperimentReminders.StartIfDue(turn.Db, e, now, me.TimeZone);
        await turn.Db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (revising is not null)
            await turn.ReplyPrivatelyAsync(Message.Text($"{ExperimentReference.Of(e.Id)} is resubmitted. Thank you for taking the feedback on board."), ct);
        return FormResult.Accepted;
    }

    private async Task ApproveAsync(Turn turn, Experiment e, CancellationToken ct)
    {
        ExperimentReminders.Move(turn.Db, e, ExperimentStatus.Approved, turn.ActorName, turn.Now);
        e.DecidedBy = turn.ActorName;
        var proposer = await turn.Db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Key == e.ProposerKey, ct);
        ExperimentReminders.StartIfDue(turn.Db, e, turn.Now, proposer?.TimeZone);
        await ExperimentReminders.RearmAsync(turn.Db, e, proposer?.TimeZone, turn.Now, ct);
        await turn.Db.SaveChangesAsync(ct);
        await turn.ReplyPrivatelyAsync(Message.Text($"You approved {ExperimentReference.Of(e.Id)}. {e.ProposerName} is told."), ct);
    }

    private async Task<FormResult> ChangesAsync(Turn turn, FormSubmission form, CancellationToken ct)
    {
        if (await FindAsync(turn, Id(form.PrivateState), ct) is not { } e || !await DeciderAsync(turn, e, ct)) return FormResult.Accepted;
        var note = form.Value("note");
        if (note is null) return FormResult.Invalid(new Dictionary<string, string> { ["note"] = "Say what should change." });
        if (note.Length > ExperimentForms.LineMax) return FormResult.Invalid(new Dictionary<string, string> { ["note"] = $"Keep it under {ExperimentForms.LineMax} characters." });
        e.ChangesNote = Line(note);
        e.DecidedBy = turn.ActorName;
        ExperimentReminders.Move(turn.Db, e, ExperimentStatus.ChangesRequested, turn.ActorName, turn.Now, e.ChangesNote);
        await turn.Db.SaveChangesAsync(ct);
        await turn.ReplyPrivatelyAsync(Message.Text($"You asked for changes to {ExperimentReference.Of(e.Id)}. {e.ProposerName} is told, with your note."), ct);
        return FormResult.Accepted;
    }

    private async Task<FormResult> ConcernAsync(Turn turn, FormSubmission form, CancellationToken ct)
    {
        if (await FindAsync(turn, Id(form.PrivateState), ct) is not { } e || !await OpenOnlyAsync(turn, e, ct)) return FormResult.Accepted;
        if (turn.Person is not { } me)
        {
            await turn.ReplyPrivatelyAsync(Message.Text("Concerns are attributed, and you are not in the bot's directory yet. Ask whoever runs the bot to add you."), ct);
            return FormResult.Accepted;
        }
        var text = form.Value("concern");
        if (text is null) return FormResult.Invalid(new Dictionary<string, string> { ["concern"] = "Say what worries you." });
        if (text.Length > ExperimentForms.TextMax) return FormResult.Invalid(new Dictionary<string, string> { ["concern"] = $"Keep it under {ExperimentForms.TextMax} characters." });
        e.Concerns.Add(new ExperimentConcern { ByKey = me.Key, ByName = me.Name, At = turn.Now, Text = text });
        Touch(turn, e);
        await turn.Db.SaveChangesAsync(ct);
        await turn.ReplyPrivatelyAsync(Message.Text($"Your concern is on {ExperimentReference.Of(e.Id)}, with your name. Thank you: this is how experiments get safer."), ct);
        return FormResult.Accepted;
    }

    private async Task<FormResult> ConcludeAsync(Turn turn, FormSubmission form, CancellationToken ct)
    {
        if (await FindAsync(turn, Id(form.PrivateState), ct) is not { } e || !await ConcluderAsync(turn, e, ct)) return FormResult.Accepted;
        var errors = new Dictionary<string, string>();
        if (!form.TryChoice("outcome", out ExperimentOutcome outcome)) errors["outcome"] = "Pick adopt, iterate or abandon.";
        var result = form.Value("result");
        if (result is null) errors["result"] = "Say what the measure showed.";
        else if (result.Length > ExperimentForms.TextMax) errors["result"] = $"Keep it under {ExperimentForms.TextMax} characters.";
        var learning = form.Value("learning");
        if (learning is null) errors["learning"] = "Say what we learned: it is what others will read.";
        else if (learning.Length > ExperimentForms.TextMax) errors["learning"] = $"Keep it under {ExperimentForms.TextMax} characters.";
        if (errors.Count > 0) return FormResult.Invalid(errors);
        var now = turn.Now;
        (e.Outcome, e.Result, e.Learning, e.ConcludedAt) = (outcome, result, learning, now);
        ExperimentReminders.Move(turn.Db, e, ExperimentStatus.Concluded, turn.ActorName, now);
        turn.Db.Publish(new ExperimentConcluded(e.Id, e.TeamKey, outcome.ToString(), result!, learning!), now);
        await turn.Db.CancelPendingAsync(ExperimentReminders.Due, e.Id, now, ct);
        await turn.Db.CancelPendingAsync(ExperimentReminders.Start, e.Id, now, ct);
        turn.Db.Schedule(ExperimentReminders.Publish, e.Id, now, now, $"experiment:{e.Id}:publish");
        await turn.Db.SaveChangesAsync(ct);
        await turn.ReplyPrivatelyAsync(Message.Text($"{ExperimentReference.Of(e.Id)} is concluded ({ExperimentText.Label(outcome)}); its result goes to the forum and the team. Thank you for closing the loop."), ct);
        return FormResult.Accepted;
    }

    private static async Task ToggleAsync(Turn turn, Experiment e, ParticipantRole role, string on, string off, CancellationToken ct)
    {
        if (turn.Person is not { } me)
        {
            await turn.ReplyPrivatelyAsync(Message.Text("You are not in the bot's directory yet, so I can't count you. Ask whoever runs the bot to add you."), ct);
            return;
        }
        for (var attempt = 1; ; attempt++)
        {
            if (role != ParticipantRole.Follower && !await OpenOnlyAsync(turn, e, ct)) return;
            var existing = e.Participants.FirstOrDefault(p => p.PersonKey == me.Key && p.Role == role);
            if (existing is null) e.Participants.Add(new ExperimentParticipant { PersonKey = me.Key, Role = role, At = turn.Now });
            else e.Participants.Remove(existing);
            Touch(turn, e);
            try
            {
                await turn.Db.SaveChangesAsync(ct);
                await turn.ReplyPrivatelyAsync(Message.Text($"{(existing is null ? on : off)} {ExperimentReference.Of(e.Id)}."), ct);
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                // Someone else's click (or this person's own, twice) changed the experiment first: nothing of this one
                // was saved, so it is decided again on what is stored now.
                Forget(turn.Db, e);
                if (await ExperimentReminders.LoadAsync(turn.Db, e.Id, ct) is not { } reloaded) return;
                e = reloaded;
            }
            catch (DbUpdateException) when (existing is null)
            {
                // The same person's double click raced itself and the other one added them: once is all that counts.
                Forget(turn.Db, e);
                await turn.ReplyPrivatelyAsync(Message.Text($"{on} {ExperimentReference.Of(e.Id)}."), ct);
                return;
            }
        }
    }

    /// <summary>Drops what a failed save left tracked: the experiment, its children, and the refresh it scheduled.</summary>
    private static void Forget(BotDbContext db, Experiment e)
    {
        foreach (var entry in db.ChangeTracker.Entries().Where(x => x.Entity is Experiment or ExperimentParticipant or ExperimentTransition or ExperimentConcern
                     || (x.Entity is Reminder && x.State == EntityState.Added)).ToList())
            entry.State = EntityState.Detached;
    }

    private async Task ShowAsync(Turn turn, long id, CancellationToken ct)
    {
        if (await ExperimentReminders.LoadAsync(turn.Db, id, ct, tracked: false) is not { } e)
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"I can't find {ExperimentReference.Of(id)}. `/experiments` lists your teams' experiments."), ct);
            return;
        }
        var team = await turn.Db.Teams.AsNoTracking().FirstAsync(t => t.Key == e.TeamKey, ct);
        await turn.ReplyPrivatelyAsync(ExperimentMessages.Card(e, team, await PersonNames.ByKeyAsync(turn.Db, ct)), ct);
    }

    private async Task ListAsync(Turn turn, CancellationToken ct)
    {
        var me = turn.Person?.Key;
        var teams = (await MyTeamListAsync(turn, ct)).Select(t => t.Key).ToList();
        var recent = turn.Now.AddDays(-30);
        var experiments = await turn.Db.Experiments.AsNoTracking().Include(x => x.Participants)
            .Where(x => teams.Contains(x.TeamKey) || x.ProposerKey == me)
            .Where(x => x.Status != ExperimentStatus.Withdrawn && (x.ConcludedAt == null || x.ConcludedAt > recent))
            .OrderByDescending(x => x.Id).Take(20).ToListAsync(ct);
        await turn.ReplyPrivatelyAsync(ExperimentMessages.List(experiments.Where(x => x.ProposerKey != me).ToArray(),
            experiments.Where(x => x.ProposerKey == me).ToArray()), ct);
    }

    private async Task FromActionItemAsync(Turn turn, long? id, CancellationToken ct)
    {
        if (id is null || await ActionItemReadModel.FindAsync(turn.Db, id.Value, ct) is not { } item)
        {
            await turn.ReplyPrivatelyAsync(Message.Text("I can't find that action item any more."), ct);
            return;
        }
        await OpenProposalAsync(turn, new ExperimentForms.Prefill(Title: item.Title,
            Hypothesis: $"We believe \"{item.Title}\" will ", From: ReviewReference.Of(item.ReviewId)), ct);
    }

    private async Task FromFactorAsync(Turn turn, long? id, CancellationToken ct)
    {
        if (id is null || await ContributingFactorReadModel.FindAsync(turn.Db, id.Value, ct) is not { } factor)
        {
            await turn.ReplyPrivatelyAsync(Message.Text("I can't find that contributing factor any more."), ct);
            return;
        }
        await OpenProposalAsync(turn, new ExperimentForms.Prefill(Hypothesis: $"We believe changing this will help: {factor.Text}",
            From: ReviewReference.Of(factor.ReviewId)), ct);
    }

    private static void Touch(Turn turn, Experiment e)
    {
        // Children changed; the experiment's version moves on so its cards follow.
        turn.Db.Entry(e).Property(x => x.Version).IsModified = true;
        turn.Db.Schedule(ExperimentReminders.Refresh, e.Id, turn.Now, turn.Now);
    }

    private static async Task<Experiment?> FindAsync(Turn turn, long? id, CancellationToken ct)
    {
        var e = id is { } i ? await ExperimentReminders.LoadAsync(turn.Db, i, ct) : null;
        if (e is null) await turn.ReplyPrivatelyAsync(Message.Text("I can't find that experiment any more. `/experiments` lists your teams' experiments."), ct);
        return e;
    }

    private static async Task<bool> OpenOnlyAsync(Turn turn, Experiment e, CancellationToken ct)
    {
        if (e.IsOpen) return true;
        await turn.ReplyPrivatelyAsync(Message.Text($"{ExperimentReference.Of(e.Id)} is {ExperimentText.Label(e.Status).ToLowerInvariant()}, so that is closed now."), ct);
        return false;
    }

    /// <summary>Only the sponsor or a manager of the team decides on a production experiment that waits for approval.</summary>
    private static async Task<bool> DeciderAsync(Turn turn, Experiment e, CancellationToken ct)
    {
        if (e.Status != ExperimentStatus.Proposed || !e.NeedsApproval)
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"{ExperimentReference.Of(e.Id)} is not waiting for approval ({ExperimentText.Label(e.Status).ToLowerInvariant()})."), ct);
            return false;
        }
        var team = await turn.Db.Teams.AsNoTracking().FirstAsync(t => t.Key == e.TeamKey, ct);
        if (turn.Person is { } me && me.Key == e.ProposerKey)
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"{ExperimentReference.Of(e.Id)} is yours and reaches production, so its sponsor or a {team.Name} manager decides, not its proposer."), ct);
            return false;
        }
        if (turn.Person is { } decider && (decider.Key == e.SponsorKey || team.Managers.Contains(decider.Key))) return true;
        await turn.ReplyPrivatelyAsync(Message.Text($"Thanks for looking at {ExperimentReference.Of(e.Id)}! It reaches production, so its sponsor or a " +
                                                    $"{team.Name} manager decides. You can support it, join it or raise a concern: that helps them decide."), ct);
        return false;
    }

    private static async Task<bool> ProposerAsync(Turn turn, Experiment e, string what, CancellationToken ct)
    {
        if (turn.Person?.Key == e.ProposerKey) return true;
        await turn.ReplyPrivatelyAsync(Message.Text($"Only {e.ProposerName}, who proposed {ExperimentReference.Of(e.Id)}, can {what}."), ct);
        return false;
    }

    /// <summary>The proposer, the sponsor or a manager records the result of an approved or running experiment.</summary>
    private static async Task<bool> ConcluderAsync(Turn turn, Experiment e, CancellationToken ct)
    {
        if (e.Status is not (ExperimentStatus.Approved or ExperimentStatus.Running))
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"{ExperimentReference.Of(e.Id)} is {ExperimentText.Label(e.Status).ToLowerInvariant()}; there is no result to record now."), ct);
            return false;
        }
        var team = await turn.Db.Teams.AsNoTracking().FirstAsync(t => t.Key == e.TeamKey, ct);
        if (turn.Person is { } me && (me.Key == e.ProposerKey || me.Key == e.SponsorKey || team.Managers.Contains(me.Key))) return true;
        await turn.ReplyPrivatelyAsync(Message.Text($"{e.ProposerName} records the result of {ExperimentReference.Of(e.Id)} (or its sponsor or a {team.Name} manager)."), ct);
        return false;
    }

    private static async Task<List<Team>> MyTeamListAsync(Turn turn, CancellationToken ct) =>
        turn.Person is { } me ? (await turn.Db.Teams.AsNoTracking().ToListAsync(ct)).Where(t => t.Includes(me.Key)).ToList() : [];

    private static DateOnly Today(Turn turn) => TimeZones.LocalDate(turn.Now, turn.Person?.TimeZone);

    private static string Line(string text) => text.ReplaceLineEndings(" ");

    private static long? Id(string? value) => long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}
