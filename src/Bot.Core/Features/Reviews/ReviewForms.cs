using System.Globalization;
using Bot.Core.Conversation;

namespace Bot.Core.Features.Reviews;

/// <summary>The review's forms: a section, an action item, handing over, and declining an action item.</summary>
public static class ReviewForms
{
    public static readonly FormId SectionId = FormId.Of(ReviewForm.Section);
    public static readonly FormId ActionItemId = FormId.Of(ReviewForm.ActionItem);
    public static readonly FormId HandOverId = FormId.Of(ReviewForm.HandOver);
    public static readonly FormId DeclineId = FormId.Of(ReviewForm.Decline);
    public const int TextMax = 3000;
    public const int TitleMax = 200;
    public const string OtherTag = "other";

    /// <summary>The state a section form carries back: which review and section (checked again on submit).</summary>
    public static string State(long reviewId, string section) => reviewId.ToString(CultureInfo.InvariantCulture) + ":" + section;

    public static (long Review, string Section)? ParseState(string? state)
    {
        var colon = state?.IndexOf(':') ?? -1;
        return colon > 0 && long.TryParse(state![..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? (id, state[(colon + 1)..]) : null;
    }

    public static Form Section(Review review, ReviewSection section, ReviewContribution? mine, string zone)
    {
        var state = State(review.Id, section.Key);
        var title = Plain.Cut(section.Title, 24);
        return section.Kind switch
        {
            SectionKind.Timeline => new Form(SectionId, title, [
                new FormField("when", "When", FieldKind.Text, Required: true, Placeholder: "14:05, or 2026-11-23 14:05",
                    Hint: $"Your local time ({zone}); today unless you give a date.", MaxLength: 16),
                new FormField("what", "What happened", FieldKind.Text, Required: true, MaxLength: 500, Placeholder: "e.g. Rolled back to 4.2.0"),
            ], "Add to timeline", state),
            SectionKind.Factors => new Form(SectionId, title, [
                new FormField("text", section.Title, FieldKind.Multiline, Required: true, Initial: mine?.Text, Hint: section.Prompt, MaxLength: TextMax,
                    Placeholder: "e.g. The deploy pipeline had no canary step for config changes"),
                new FormField("tag", "Kind of factor", FieldKind.Select, Required: true, Initial: mine?.Tags.FirstOrDefault(),
                    Options: [.. ReviewTemplate.FactorTags.Select(t => new FormOption(t, Capitalised(t))), new FormOption(OtherTag, "Other")]),
                new FormField("tags", "More tags", FieldKind.Text, Initial: mine is null ? null : string.Join(", ", mine.Tags.Skip(1)), MaxLength: 200,
                    Placeholder: "e.g. config, alerting", Hint: "Comma-separated; they help spot patterns across reviews."),
            ], "Save", state),
            _ => new Form(SectionId, title, [
                new FormField("text", section.Title, FieldKind.Multiline, Required: mine is null, Initial: mine?.Text, Hint: section.Prompt, MaxLength: TextMax),
            ], "Save", state),
        };
    }

    public static Form Action(Review review, DateOnly suggestedDue) =>
        new(ActionItemId, "Action item", [
            new FormField("title", "What will we change?", FieldKind.Text, Required: true, MaxLength: TitleMax, Placeholder: "e.g. Add a canary step for config deploys"),
            new FormField("owner", "Owner", FieldKind.Person, Required: true),
            new FormField("due", "Due", FieldKind.Date, Required: true, Initial: suggestedDue.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            new FormField("kind", "Kind", FieldKind.Select, Required: true, Initial: nameof(ActionKind.Prevent),
                Options: [.. ReviewText.ActionKinds.Select(k => new FormOption(k.Value.ToString(), k.Label))]),
        ], "Add", review.Id.ToString(CultureInfo.InvariantCulture));

    public static Form HandOver(Review review) =>
        new(HandOverId, "Hand over", [
            new FormField("owner", $"Who should own {ReviewReference.Of(review.Id)} now?", FieldKind.Person, Required: true,
                Hint: "They get the draft now; you can still contribute."),
        ], "Hand over", review.Id.ToString(CultureInfo.InvariantCulture));

    public static Form Decline(ActionItem item) =>
        new(DeclineId, "Not doing it", [
            new FormField("why", $"Why not \"{Plain.Cut(item.Title, 80)}\"?", FieldKind.Text, Required: true, MaxLength: 500,
                Placeholder: "e.g. Covered by the new deploy checks"),
        ], "Save", item.Id.ToString(CultureInfo.InvariantCulture));

    private static string Capitalised(string tag) => char.ToUpperInvariant(tag[0]) + tag[1..];
}
