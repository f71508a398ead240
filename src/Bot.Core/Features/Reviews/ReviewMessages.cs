using System.Globalization;
using System.Text;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Features.Experiments;

namespace Bot.Core.Features.Reviews;

/// <summary>What a review looks like in chat, built from the stored state every time.</summary>
public static class ReviewMessages
{
    /// <summary>A section's button: <c>review.edit.{section}</c> (ids are unique within a message), the value names review and section.</summary>
    public static ActionId EditOf(string section) => ActionId.Of(ReviewAction.Edit, section);
    public static readonly ActionId Complete = ActionId.Of(ReviewAction.Complete);
    public static readonly ActionId Snooze = ActionId.Of(ReviewAction.Snooze);
    public static readonly ActionId HandOver = ActionId.Of(ReviewAction.HandOver);
    public static readonly ActionId Export = ActionId.Of(ReviewAction.Export);
    public static readonly ActionId Download = ActionId.Of(ReviewAction.Download);
    public static readonly ActionId Show = ReviewButtons.Show;
    public static readonly ActionId ItemDone = ActionId.Of(ReviewAction.ItemDone);
    public static readonly ActionId ItemPushBack = ActionId.Of(ReviewAction.ItemPushBack);
    public static readonly ActionId ItemDecline = ActionId.Of(ReviewAction.ItemDecline);

    /// <summary>Names of the people a review mentions (owner, action item owners), by directory key.</summary>
    public sealed record Names(IReadOnlyDictionary<string, string> ByKey)
    {
        public string Of(string key) => ByKey.TryGetValue(key, out var name) ? name : key.Length == 0 ? "nobody yet" : key;
    }

    public static Message Draft(Review r, Team team, Names names, DateTimeOffset now, string? ownerZone)
    {
        var reference = ReviewReference.Of(r.Id);
        var done = r.Status == ReviewStatus.Completed;
        var builder = Message.Build($"Post-incident review {reference}: {r.Title} ({ReviewText.Progress(r)})")
            .Header(Plain.OneLine($"{(done ? "📚" : "📝")} Post-incident review {reference}: {r.Title}"));
        if (!done)
            builder.Text($"{names.Of(r.OwnerKey)} owns this blameless review. Anyone on {team.Name} can add to any section: " +
                         "ask how the system let it happen, not who.");
        builder.Fields(
            new Field("Team", team.Name),
            new Field("Owner", names.Of(r.OwnerKey)),
            new Field("Status", done && r.CompletedAt is { } at ? $"Completed by {r.CompletedBy} on {ReviewText.Day(at, ownerZone)}" : ReviewText.Progress(r)),
            new Field("Due", ReviewText.Day(r.DueAt, ownerZone)),
            new Field("Contributors", r.Participants.ToString(CultureInfo.InvariantCulture)),
            new Field("Template", $"{r.TemplateName} v{r.TemplateVersion.ToString(CultureInfo.InvariantCulture)}"));
        foreach (var section in r.Sections)
        {
            builder.Text(SectionText(r, section, names, team.TimeZone));
            var notes = r.ContributionsTo(section.Key).SelectMany(c => c.Notes.Select(n => (c.ByName, n))).ToArray();
            if (notes.Length > 0)
                builder.Context(string.Join("\n", notes.Select(x => $"💡 {x.ByName}, about “{x.n.Phrase}”: {x.n.Suggestion}")));
        }
        var id = r.Id.ToString(CultureInfo.InvariantCulture);
        var buttons = new List<Button>();
        if (!done)
        {
            buttons.AddRange(r.Sections.Select(s => new Button(EditOf(s.Key), (r.HasContent(s) ? "✏️ " : "➕ ") + s.Title, ReviewForms.State(r.Id, s.Key))));
            buttons.Add(new Button(Complete, "Complete", id, ButtonStyle.Primary));
            buttons.Add(new Button(Snooze, "Snooze 1 day", id));
            buttons.Add(new Button(HandOver, "Hand over…", id));
        }
        buttons.Add(new Button(Export, "Export Markdown", id));
        builder.Buttons([.. buttons]);
        return builder.Done();
    }

    public static string SectionText(Review r, ReviewSection section, Names names, string zone)
    {
        var text = new StringBuilder("*").Append(section.Title).Append('*');
        if (section.Required && r.Status != ReviewStatus.Completed) text.Append(" (required)");
        text.Append('\n');
        var lines = new List<string>();
        if (section.Kind == SectionKind.Timeline)
        {
            var clock = ReviewText.TimelineClock(r.Timeline.Select(t => t.At), zone);
            lines.AddRange(r.Timeline.OrderBy(t => t.At).ThenBy(t => t.Id)
                .Select(t => $"• {clock(t.At)} {t.Text}{(t.AddedByName is null ? "" : $" ({t.AddedByName})")}{(t.Edited ? " _(edited)_" : "")}"));
        }
        if (section.Kind == SectionKind.Actions)
            lines.AddRange(r.ActionItems.OrderBy(a => a.Id).Select(a => "• " + ActionLine(a, names)));
        foreach (var c in r.ContributionsTo(section.Key))
        {
            var tags = c.Tags.Count == 0 ? "" : "[" + string.Join(", ", c.Tags) + "] ";
            lines.Add($"{tags}{c.Text}\n— _{c.ByName}_");
        }
        text.Append(lines.Count == 0 ? $"_{section.Prompt}_" : string.Join("\n", lines));
        return text.ToString();
    }

    public static string ActionLine(ActionItem a, Names names) =>
        $"{a.Title} — {names.Of(a.OwnerKey)}, due {ReviewText.Day(a.DueOn)} ({ReviewText.Label(a.Kind)}) · {ReviewText.Label(a.Status)}" +
        (a.Status == ActionStatus.NotDoing && a.Note is { } why ? $": {why}" : "");

    /// <summary>A nudge while required sections are empty, with the ways out: write, snooze, hand over.</summary>
    public static Message Nudge(Review r, int workingDays)
    {
        var reference = ReviewReference.Of(r.Id);
        var missing = string.Join(", ", r.MissingRequired.Select(s => s.Title));
        return Message.Build($"{reference} is waiting for you: {missing}")
            .Header(Plain.OneLine($"📝 {reference} is still a draft"))
            .Text($"It has been {workingDays} working days since the draft of *{r.Title}* went out, and these required sections are still empty: {missing}. " +
                  "A few honest lines each is enough, and anyone on the team can help.")
            .Buttons(PromptButtons(r))
            .Done();
    }

    /// <summary>To the team's managers once the due window has passed: help, not blame.</summary>
    public static Message Overdue(Review r, Team team, Names names, int dueWorkingDays) =>
        Message.Build($"{ReviewReference.Of(r.Id)} is past its due window")
            .Header(Plain.OneLine($"🤝 {ReviewReference.Of(r.Id)} could use a hand"))
            .Text($"The blameless review *{r.Title}* is still a draft after {dueWorkingDays.ToString(CultureInfo.InvariantCulture)} working days. " +
                  $"Reviews slip when weeks are full, not because people don't care. Could you ask {names.Of(r.OwnerKey)} what would help: " +
                  "time set aside, a facilitator, or handing it to someone else?")
            .Context($"{team.Name} · {ReviewText.Progress(r)}")
            .Buttons(PromptButtons(r))
            .Done();

    public static Button[] PromptButtons(Review r)
    {
        var id = r.Id.ToString(CultureInfo.InvariantCulture);
        return [new(Show, "Open the draft", id, ButtonStyle.Primary), new(Snooze, "Snooze 1 day", id), new(HandOver, "Hand over…", id)];
    }

    /// <summary>The short summary a completed review posts to the team and learnings channels.</summary>
    public static Message Summary(Review r, Team team, Names names)
    {
        var reference = ReviewReference.Of(r.Id);
        var builder = Message.Build($"Learnings from {r.Title} ({reference})")
            .Header(Plain.OneLine($"📚 Learnings: {r.Title}"));
        // The blameless template's impact, what went well and learnings; a team's own template shows its first written sections.
        string[] shared = ["impact", "went-well", ReviewTemplate.Learnings];
        var texts = r.Sections.Where(x => x.Kind == SectionKind.Text).ToArray();
        var shown = texts.Any(x => shared.Contains(x.Key)) ? texts.Where(x => shared.Contains(x.Key)) : texts.Where(x => r.HasContent(x)).Take(3);
        foreach (var section in shown)
        {
            var written = string.Join("\n", r.ContributionsTo(section.Key).Select(c => c.Text));
            if (written.Length > 0) builder.Text($"*{section.Title}*\n{Plain.Cut(written, 600)}");
        }
        var factors = r.Sections.FirstOrDefault(s => s.Kind == SectionKind.Factors) is { } f ? r.ContributionsTo(f.Key).Take(3).ToArray() : [];
        if (factors.Length > 0)
            builder.Text("*Top contributing factors*\n" + string.Join("\n", factors.Select(c => $"• {(c.Tags.Count > 0 ? $"[{string.Join(", ", c.Tags)}] " : "")}{Plain.Cut(c.Text, 300)}")));
        if (r.ActionItems.Count > 0)
            builder.Text("*Action items*\n" + string.Join("\n", r.ActionItems.OrderBy(a => a.Id).Take(8).Select(a => "• " + ActionLine(a, names))));
        var buttons = new List<Button> { new(Show, "Read the review", r.Id.ToString(CultureInfo.InvariantCulture)) };
        if (factors.Length > 0)
            buttons.Add(new Button(ExperimentButtons.FromFactor, "🧪 Propose an experiment", factors[0].Id.ToString(CultureInfo.InvariantCulture)));
        return builder
            .Context($"Blameless review {reference} by {team.Name} · {r.Participants.ToString(CultureInfo.InvariantCulture)} contributors · owner {names.Of(r.OwnerKey)}")
            .Buttons([.. buttons])
            .Done();
    }

    public static Message Item(ActionItem a, Review r, Names names)
    {
        var open = a.Status == ActionStatus.Open;
        var id = a.Id.ToString(CultureInfo.InvariantCulture);
        var builder = Message.Build($"Action item from {ReviewReference.Of(r.Id)}: {a.Title} (due {ReviewText.Day(a.DueOn)})")
            .Header(Plain.OneLine($"{(open ? "🛠️" : "✅")} Action item: {a.Title}"))
            .Fields(
                new Field("Owner", names.Of(a.OwnerKey)),
                new Field("Due", ReviewText.Day(a.DueOn)),
                new Field("Kind", ReviewText.Label(a.Kind)),
                new Field("Status", ReviewText.Label(a.Status) + (a.Status == ActionStatus.NotDoing && a.Note is { } why ? $": {why}" : "")),
                new Field("From", $"{ReviewReference.Of(r.Id)}: {r.Title}"));
        if (a.PushedBack > 0) builder.Context($"Pushed back {a.PushedBack.ToString(CultureInfo.InvariantCulture)} time(s).");
        if (open)
            builder.Buttons(new Button(ItemDone, "Done", id, ButtonStyle.Primary), new Button(ItemPushBack, "Push back a week", id),
                new Button(ItemDecline, "Not doing (why)", id), new Button(ExperimentButtons.FromActionItem, "🧪 Propose as an experiment", id));
        return builder.Done();
    }

    /// <summary>What <c>/review</c> shows: my open reviews, my team's, and my open action items.</summary>
    public static Message List(IReadOnlyList<Review> mine, IReadOnlyList<Review> team, IReadOnlyList<ActionItem> items, Names names)
    {
        var builder = Message.Build("Your open post-incident reviews").Header("📝 Post-incident reviews");
        string Line(Review r) => $"• *{ReviewReference.Of(r.Id)}* {r.Title} — {ReviewText.Progress(r)}, owner {names.Of(r.OwnerKey)}";
        builder.Text("*Yours*\n" + (mine.Count == 0 ? "Nothing waiting for you." : string.Join("\n", mine.Select(Line))));
        builder.Text("*Your teams'*\n" + (team.Count == 0 ? "No open reviews." : string.Join("\n", team.Select(Line))));
        if (items.Count > 0) builder.Text("*Your open action items*\n" + string.Join("\n", items.Select(a => "• " + ActionLine(a, names))));
        builder.Context("`/review show PIR-3` · `/review start INC-7` or `#12` · `/review actions` · `/review export PIR-3`");
        builder.Buttons([.. mine.Concat(team).DistinctBy(r => r.Id).Take(5)
            .Select(r => new Button(Show, "Open " + ReviewReference.Of(r.Id), r.Id.ToString(CultureInfo.InvariantCulture)))]);
        return builder.Done();
    }

    public static Message Actions(IReadOnlyList<ActionItem> mine, IReadOnlyList<ActionItem> team, Names names, DateOnly today)
    {
        string Line(ActionItem a) => "• " + ActionLine(a, names) + (a.Status == ActionStatus.Open && a.DueOn < today ? " · *overdue*" : "");
        return Message.Build("Open action items").Header("🛠️ Action items")
            .Text("*Yours*\n" + (mine.Count == 0 ? "None open." : string.Join("\n", mine.Select(Line))))
            .Text("*Your teams'*\n" + (team.Count == 0 ? "None open." : string.Join("\n", team.Select(Line))))
            .Done();
    }

    /// <summary>What the person who saved a section hears: thanks, and the coach's notes when there are any.</summary>
    public static Message Saved(Review r, ReviewSection section, IReadOnlyList<CoachNote> notes)
    {
        var thanks = $"Saved to *{section.Title}* of {ReviewReference.Of(r.Id)}. Thank you for adding to it.";
        if (notes.Count == 0) return Message.Text(thanks);
        var builder = Message.Build(thanks).Text(thanks);
        foreach (var note in notes) builder.Context($"💡 About “{note.Phrase}”: {note.Suggestion}");
        return builder.Context("Just a thought from the blameless-language coach; your text is saved as you wrote it.").Done();
    }
}
