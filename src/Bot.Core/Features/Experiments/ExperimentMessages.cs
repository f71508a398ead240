using System.Globalization;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Features.Experiments;

/// <summary>What an experiment looks like in chat, built from the stored state every time.</summary>
public static class ExperimentMessages
{
    public static readonly ActionId Support = ActionId.Of(ExperimentAction.Support);
    public static readonly ActionId Concern = ActionId.Of(ExperimentAction.Concern);
    public static readonly ActionId Join = ActionId.Of(ExperimentAction.Join);
    public static readonly ActionId Follow = ActionId.Of(ExperimentAction.Follow);
    public static readonly ActionId Approve = ActionId.Of(ExperimentAction.Approve);
    public static readonly ActionId AskForChanges = ActionId.Of(ExperimentAction.AskForChanges);
    public static readonly ActionId Revise = ActionId.Of(ExperimentAction.Revise);
    public static readonly ActionId Withdraw = ActionId.Of(ExperimentAction.Withdraw);
    public static readonly ActionId RecordResult = ActionId.Of(ExperimentAction.RecordResult);
    public static readonly ActionId Show = ActionId.Of(ExperimentAction.Show);
    public static readonly ActionId Open = ActionId.Of(ExperimentAction.Open);

    public static Message Card(Experiment e, Team team, IReadOnlyDictionary<string, string> names)
    {
        var reference = ExperimentReference.Of(e.Id);
        var icon = e.Status switch
        {
            ExperimentStatus.Concluded or ExperimentStatus.Published => "📊",
            ExperimentStatus.Withdrawn => "↩️",
            _ => "🧪",
        };
        var builder = Message.Build($"Experiment {reference}: {e.Title} ({ExperimentText.Label(e.Status)})")
            .Header(Plain.OneLine($"{icon} Experiment {reference}: {e.Title}"))
            .Text($"*Hypothesis*\n{e.Hypothesis}")
            .Fields(
                new Field("Team", team.Name),
                new Field("Proposed by", e.ProposerName),
                new Field("Kind", ExperimentText.Label(e.Kind)),
                new Field("Blast radius", ExperimentText.Label(e.Radius)),
                new Field("Runs", $"{ExperimentText.Day(e.StartsOn)} – {ExperimentText.Day(e.EndsOn)}"),
                new Field("Status", ExperimentText.Label(e.Status)),
                new Field("Sponsor", e.SponsorKey is { } s ? names.GetValueOrDefault(s, s) : "None yet"))
            .Text($"*Measured by* {e.Metric}\n*Success looks like* {e.Threshold}");
        if (e.Rollback is { Length: > 0 } rollback) builder.Text($"*Stop condition and roll back*\n{rollback}");
        if (e.Status == ExperimentStatus.ChangesRequested && e.ChangesNote is { } note) builder.Text($"*Changes asked for by {e.DecidedBy}:* {note}");
        if (e.Outcome is { } outcome)
            builder.Text($"*Result: {ExperimentText.Label(outcome)}*\n{e.Result}\n*Learning:* {e.Learning}");
        foreach (var concern in e.Concerns.OrderBy(c => c.At).TakeLast(3))
            builder.Context($"💬 Concern from {concern.ByName}: {Plain.Cut(concern.Text, 300)}");
        builder.Context($"👍 {Count(e, ParticipantRole.Supporter)} support · 🙋 {Count(e, ParticipantRole.Joiner)} joined · " +
                        $"👀 {Count(e, ParticipantRole.Follower)} following · 💬 {e.Concerns.Count.ToString(CultureInfo.InvariantCulture)} concern{(e.Concerns.Count == 1 ? "" : "s")}" +
                        (e.From is { } from ? $" · from {from}" : ""));
        builder.Buttons(Buttons(e));
        return builder.Done();
    }

    private static string Count(Experiment e, ParticipantRole role) => e.Count(role).ToString(CultureInfo.InvariantCulture);

    private static Button[] Buttons(Experiment e)
    {
        var id = e.Id.ToString(CultureInfo.InvariantCulture);
        var buttons = new List<Button>();
        if (e.IsOpen)
        {
            buttons.Add(new Button(Support, "👍 Support", id, ButtonStyle.Primary));
            buttons.Add(new Button(Concern, "Raise a concern", id));
            buttons.Add(new Button(Join, "Join", id));
        }
        buttons.Add(new Button(Follow, "Follow", id));
        if (e.Status == ExperimentStatus.Proposed && e.NeedsApproval)
        {
            buttons.Add(new Button(Approve, "Approve", id));
            buttons.Add(new Button(AskForChanges, "Ask for changes", id));
        }
        if (e.Status == ExperimentStatus.ChangesRequested) buttons.Add(new Button(Revise, "Revise", id));
        if (e.Status is ExperimentStatus.Approved or ExperimentStatus.Running) buttons.Add(new Button(RecordResult, "Record the result", id));
        if (e.IsOpen) buttons.Add(new Button(Withdraw, "Withdraw", id, ButtonStyle.Danger));
        if (e.Link is { } link) buttons.Add(new Button(Open, "Open link", id, Url: link));
        return [.. buttons];
    }

    public static Message Thanks(Experiment e) =>
        Message.Text(e.NeedsApproval
            ? $"Thank you for proposing {ExperimentReference.Of(e.Id)}, {FirstName(e.ProposerName)}. It reaches production, so its sponsor or a team " +
              "manager approves it first; I'll tell you as soon as they decide. Everyone can support, join or raise a concern meanwhile."
            : $"Thank you for proposing {ExperimentReference.Of(e.Id)}, {FirstName(e.ProposerName)}. Small and reversible, so it is approved: " +
              $"it starts on {ExperimentText.Day(e.StartsOn)}. I'll remind you then, and on {ExperimentText.Day(e.EndsOn)} to record the result.");

    /// <summary>What the proposer and followers hear when it moves.</summary>
    public static Message Moved(Experiment e, ExperimentTransition t)
    {
        var reference = ExperimentReference.Of(e.Id);
        var text = t.To switch
        {
            ExperimentStatus.Approved => $"{reference} *{e.Title}* was approved by {t.By}. It starts on {ExperimentText.Day(e.StartsOn)}.",
            ExperimentStatus.ChangesRequested => $"{t.By} asked for changes to {reference} *{e.Title}*: {t.Note}. Revise it from its card; it goes back for approval.",
            ExperimentStatus.Running => $"{reference} *{e.Title}* is running from today until {ExperimentText.Day(e.EndsOn)}.",
            ExperimentStatus.Concluded => $"{reference} *{e.Title}* is concluded: {ExperimentText.Label(e.Outcome ?? ExperimentOutcome.Iterate)}. {e.Learning}",
            ExperimentStatus.Published => $"The results of {reference} *{e.Title}* are published.",
            ExperimentStatus.Withdrawn => $"{reference} *{e.Title}* was withdrawn by {t.By}.",
            _ => $"{reference} *{e.Title}* was resubmitted by {t.By} and waits for approval again.",
        };
        return Message.Build(text).Text(text).Buttons(new Button(Show, "Show the experiment", e.Id.ToString(CultureInfo.InvariantCulture))).Done();
    }

    /// <summary>To the proposer: on the start date, at the end date, and every 3 working days until it is concluded.</summary>
    public static Message Reminder(Experiment e, ExperimentReminders.Moment moment, int round, bool late = false)
    {
        var reference = ExperimentReference.Of(e.Id);
        var id = e.Id.ToString(CultureInfo.InvariantCulture);
        return moment switch
        {
            ExperimentReminders.Moment.Start => Message.Build($"{reference} starts today").Text(
                    $"🧪 {reference} *{e.Title}* starts today. Measure {e.Metric}; stop if: {e.Rollback ?? "the team agrees it should"}. Good luck!")
                .Buttons(new Button(Show, "Show the experiment", id)).Done(),
            _ => Message.Build($"Time to record the result of {reference}").Text(round == 0
                    ? $"📊 {reference} *{e.Title}* {(late ? "ended on " + e.EndsOn.ToString("dddd d MMMM", CultureInfo.InvariantCulture) : "ends today")}. What did {e.Metric} show? Adopt, iterate or abandon: each is a result worth publishing."
                    : $"📊 {reference} *{e.Title}* still has no result. Even \"it did not work\" helps the next team; it takes two minutes.")
                .Buttons(new Button(RecordResult, "Record the result", id, ButtonStyle.Primary), new Button(Show, "Show the experiment", id)).Done(),
        };
    }

    /// <summary>The published result, for the forum and the team channel.</summary>
    public static Message Results(Experiment e, Team team)
    {
        var reference = ExperimentReference.Of(e.Id);
        var outcome = e.Outcome ?? ExperimentOutcome.Iterate;
        return Message.Build($"Experiment result {reference}: {e.Title} ({ExperimentText.Label(outcome)})")
            .Header(Plain.OneLine($"📊 Result: {e.Title} → {ExperimentText.Label(outcome)}"))
            .Text($"*Hypothesis*\n{e.Hypothesis}")
            .Fields(new Field("Team", team.Name), new Field("Measured", e.Metric), new Field("Success looked like", e.Threshold),
                new Field("Decision", ExperimentText.Label(outcome)))
            .Text($"*What we saw*\n{e.Result}\n*What we learned*\n{e.Learning}")
            .Context($"{reference} by {e.ProposerName} · {ExperimentText.Day(e.StartsOn)} – {ExperimentText.Day(e.EndsOn)} · " +
                     "publish results, scale what works")
            .Buttons(new Button(Show, "Show the experiment", e.Id.ToString(CultureInfo.InvariantCulture)))
            .Done();
    }

    /// <summary>Active and recent experiments of my teams, with status and support.</summary>
    public static Message List(IReadOnlyList<Experiment> experiments, IReadOnlyList<Experiment> mine)
    {
        string Line(Experiment e) =>
            $"• *{ExperimentReference.Of(e.Id)}* {e.Title} — {ExperimentText.Label(e.Status)} · 👍 {Count(e, ParticipantRole.Supporter)} · 🙋 {Count(e, ParticipantRole.Joiner)}";
        return Message.Build("Experiments").Header("🧪 Experiments")
            .Text("*Yours*\n" + (mine.Count == 0 ? "None yet: `/propose-experiment` starts one." : string.Join("\n", mine.Select(Line))))
            .Text("*Your teams'*\n" + (experiments.Count == 0 ? "None active or recent." : string.Join("\n", experiments.Select(Line))))
            .Context("`/propose-experiment [title]` · `/experiments show EXP-4`")
            .Done();
    }

    private static string FirstName(string name) => name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? name;
}

/// <summary>The home's experiments: mine, with their status and support.</summary>
public sealed class ExperimentHome : Flows.IHomeSection
{
    public async Task<Message?> RenderAsync(Storage.BotDbContext db, Person person, DateTimeOffset now, CancellationToken ct)
    {
        var mine = await db.Experiments.AsNoTracking().Include(x => x.Participants)
            .Where(x => x.ProposerKey == person.Key && x.Status != ExperimentStatus.Withdrawn)
            .OrderByDescending(x => x.Id).Take(10).ToListAsync(ct);
        return mine.Count == 0 ? null : ExperimentMessages.List([], mine);
    }
}
