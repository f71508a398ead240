namespace Bot.Core.Features.Reviews;

/// <summary>A review template: its sections in order, named and versioned so a review records what it followed.</summary>
public sealed record ReviewTemplate(string Name, int Version, IReadOnlyList<ReviewSection> Sections)
{
    public const string Summary = "summary";
    public const string Timeline = "timeline";
    public const string Factors = "factors";
    public const string Actions = "actions";
    public const string Learnings = "learnings";

    /// <summary>The vocabulary contributing factors are tagged with by default: systems, never people.</summary>
    public static readonly IReadOnlyList<string> FactorTags = ["process", "tooling", "design", "information", "load"];

    /// <summary>The blameless template every team uses unless it configures its own.</summary>
    public static ReviewTemplate Blameless { get; } = new("blameless", 1,
    [
        new(Summary, "Summary", "What happened, in two or three sentences a newcomer would understand.", Required: true),
        new("impact", "Customer impact", "Who was affected, how many, and for how long?", Required: true),
        new(Timeline, "Timeline", "What happened when. Filled in from the incident; add what is missing.", Kind: SectionKind.Timeline),
        new("detection", "Detection", "How did we find out? How could we have known sooner?", Required: true),
        new("response", "Response", "What helped the response, and what slowed it down?"),
        new(Factors, "Contributing factors", "What in our process, tooling, design, information or load made this possible? Systems, never people.",
            Required: true, Kind: SectionKind.Factors),
        new("went-well", "What went well", "What worked that we should keep doing?"),
        new("lucky", "Where we got lucky", "What could have made this worse, and didn't?"),
        new(Actions, "Action items", "What will we change, who owns it, and by when?", Kind: SectionKind.Actions),
        new(Learnings, "Learnings to share", "What should other teams know?", Required: true),
    ]);
}
