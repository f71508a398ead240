using System.Globalization;
using Bot.Core.Conversation;
using Bot.Core.Directory;

namespace Bot.Core.Features.Experiments;

/// <summary>The experiment's forms: proposing (or revising), a concern, asking for changes, and the result.</summary>
public static class ExperimentForms
{
    public static readonly FormId ProposeId = FormId.Of(ExperimentForm.Propose);
    public static readonly FormId ConcernId = FormId.Of(ExperimentForm.Concern);
    public static readonly FormId ChangesId = FormId.Of(ExperimentForm.Changes);
    public static readonly FormId ConcludeId = FormId.Of(ExperimentForm.Conclude);
    public const int TitleMax = 150;
    public const int TextMax = 2000;
    public const int LineMax = 300;
    public const int LinkMax = 500;
    public const int MaxDays = 90;

    /// <summary>What a proposal form starts from: a title typed after the command, a revision, or a review's action item.</summary>
    public sealed record Prefill(string? Title = null, string? Hypothesis = null, string? From = null, Experiment? Revising = null, string? Link = null);

    /// <summary>
    /// The proposal form. Pickers stay short (kinds, radii, the proposer's own teams), so Slack's 3-second
    /// <c>trigger_id</c> never expires while it is built; the sponsor is the platform's own people picker.
    /// </summary>
    public static Form Propose(Prefill prefill, IReadOnlyList<Team> teams, DateOnly today)
    {
        var e = prefill.Revising;
        string? Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var fields = new List<FormField>
        {
            new("title", "Title", FieldKind.Text, Required: true, Initial: e?.Title ?? Cut(prefill.Title, TitleMax), MaxLength: TitleMax,
                Placeholder: "e.g. Canary stage for config deploys"),
            new("hypothesis", "Hypothesis", FieldKind.Multiline, Required: true, Initial: e?.Hypothesis ?? prefill.Hypothesis, MaxLength: TextMax,
                Placeholder: "We believe <change> will <outcome>"),
            new("metric", "How we will measure it", FieldKind.Text, Required: true, Initial: e?.Metric, MaxLength: LineMax,
                Placeholder: "e.g. change failure rate of config deploys"),
            new("threshold", "Success looks like", FieldKind.Text, Required: true, Initial: e?.Threshold, MaxLength: LineMax,
                Placeholder: "e.g. below 5% over four weeks"),
            new("kind", "Kind", FieldKind.Select, Required: true, Initial: (e?.Kind ?? ExperimentKind.Process).ToString(),
                Options: [.. ExperimentText.Kinds.Select(k => new FormOption(k.Value.ToString(), k.Label))]),
            new("radius", "Blast radius", FieldKind.Select, Required: true, Initial: e?.Radius.ToString(),
                Options: [.. ExperimentText.Radii.Select(r => new FormOption(r.Value.ToString(), r.Label))],
                Hint: "Team-only and non-production experiments start without a gate; production ones need the sponsor or a manager."),
            new("starts", "Start", FieldKind.Date, Initial: Day(e?.StartsOn ?? today)),
            new("ends", "End", FieldKind.Date, Required: true, Initial: Day(e?.EndsOn), Hint: $"At most {MaxDays} days from today."),
            new("rollback", "Stop condition and how to roll back", FieldKind.Multiline, Initial: e?.Rollback, MaxLength: TextMax,
                Placeholder: "e.g. stop if checkout errors rise above 1%; turn the flag off", Hint: "Needed unless the blast radius is team only."),
            new("sponsor", "Sponsor", FieldKind.Person, Initial: e?.SponsorKey, Hint: "Optional: someone who backs it and can approve it."),
            new("link", "Link", FieldKind.Text, Initial: e?.Link ?? (prefill.Link is { Length: <= LinkMax } link ? link : null), MaxLength: LinkMax, Placeholder: "e.g. an AWS FIS experiment template or a doc"),
        };
        if (teams.Count > 1)
            fields.Add(new FormField("team", "Team", FieldKind.Select, Required: true, Initial: e?.TeamKey ?? teams[0].Key,
                Options: [.. teams.Select(t => new FormOption(t.Key, t.Name))]));
        var state = e is not null ? "revise:" + e.Id.ToString(CultureInfo.InvariantCulture) : prefill.From is { } from ? "from:" + from : null;
        return new Form(ProposeId, e is null ? "Propose an experiment" : "Revise the proposal", fields, e is null ? "Propose" : "Resubmit", state);
    }

    public static Form Concern(Experiment e) =>
        new(ConcernId, "Raise a concern", [
            new FormField("concern", $"What worries you about {ExperimentReference.Of(e.Id)}?", FieldKind.Multiline, Required: true, MaxLength: TextMax,
                Hint: "Your name is shown with it: concerns are how experiments get safer."),
        ], "Raise", e.Id.ToString(CultureInfo.InvariantCulture));

    public static Form Changes(Experiment e) =>
        new(ChangesId, "Ask for changes", [
            new FormField("note", $"What should change before {ExperimentReference.Of(e.Id)} can go ahead?", FieldKind.Multiline, Required: true, MaxLength: LineMax),
        ], "Ask", e.Id.ToString(CultureInfo.InvariantCulture));

    public static Form Conclude(Experiment e) =>
        new(ConcludeId, "Record the result", [
            new FormField("outcome", "Decision", FieldKind.Select, Required: true,
                Options: [.. ExperimentText.Outcomes.Select(o => new FormOption(o.Value.ToString(), o.Label))]),
            new FormField("result", $"What did {e.Metric} show?", FieldKind.Multiline, Required: true, MaxLength: TextMax,
                Hint: $"Success was: {e.Threshold}"),
            new FormField("learning", "What did we learn?", FieldKind.Multiline, Required: true, MaxLength: TextMax),
        ], "Conclude", e.Id.ToString(CultureInfo.InvariantCulture));

    private static string? Cut(string? text, int max) => string.IsNullOrWhiteSpace(text) ? null : Plain.Cut(text.Trim(), max);
}
