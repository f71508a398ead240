using Bot.Core.Directory;

namespace Bot.Core.Features.Reviews;

/// <summary>A team's review settings, under <c>Directory:Teams:N:Reviews</c>.</summary>
public sealed class ReviewTeamSettings : ITeamSettings
{
    public const string Section = "Reviews";

    /// <summary>Resolved incidents of this impact or more severe (1 is critical) get a review automatically; others get a button.</summary>
    public int AutomaticUpToImpact { get; set; } = 3;

    /// <summary>Working days after resolution a review is due in; after that the team's managers are offered help.</summary>
    public int DueWorkingDays { get; set; } = 5;

    /// <summary>How long after resolution before the first prompt, which then goes the next working morning in the owner's zone.</summary>
    public TimeSpan FirstPromptDelay { get; set; } = TimeSpan.Zero;

    /// <summary>The team's own template; the blameless default when not set.</summary>
    public TemplateOptions? Template { get; set; }

    public ReviewTemplate EffectiveTemplate => Template is { Sections.Count: > 0 } t
        ? new ReviewTemplate(t.Name, t.Version, t.Sections.Select(s => new ReviewSection(s.Key, s.Title, s.Prompt, s.Required, s.Kind)).ToArray())
        : ReviewTemplate.Blameless;

    public IEnumerable<string> Validate(string path, IReadOnlySet<string> people)
    {
        if (AutomaticUpToImpact is < 0 or > 5) yield return $"{path}:AutomaticUpToImpact must be 0 (never) to 5 (every incident)";
        if (DueWorkingDays is < 1 or > 60) yield return $"{path}:DueWorkingDays must be 1 to 60";
        if (FirstPromptDelay < TimeSpan.Zero) yield return $"{path}:FirstPromptDelay must not be negative";
        if (Template is not { } template) yield break;
        if (string.IsNullOrWhiteSpace(template.Name) || template.Name.Length > 64) yield return $"{path}:Template:Name must be 1 to 64 characters";
        if (template.Version < 1) yield return $"{path}:Template:Version must be 1 or more";
        if (template.Sections.Count is 0 or > 15) yield return $"{path}:Template:Sections must list 1 to 15 sections";
        for (var i = 0; i < template.Sections.Count; i++)
        {
            var s = template.Sections[i];
            if (string.IsNullOrWhiteSpace(s.Key) || s.Key.Length > 32 || !s.Key.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
                yield return $"{path}:Template:Sections:{i}:Key must be 1 to 32 lower-case letters, digits or dashes";
            if (string.IsNullOrWhiteSpace(s.Title) || s.Title.Length > 60) yield return $"{path}:Template:Sections:{i}:Title must be 1 to 60 characters";
            if (s.Prompt.Length > 300) yield return $"{path}:Template:Sections:{i}:Prompt must be at most 300 characters";
            if (template.Sections.Take(i).Any(o => o.Key == s.Key)) yield return $"{path}:Template:Sections:{i}:Key '{s.Key}' is used twice";
        }
        foreach (var kind in new[] { SectionKind.Timeline, SectionKind.Factors, SectionKind.Actions })
        {
            if (template.Sections.Count(s => s.Kind == kind) > 1) yield return $"{path}:Template:Sections has more than one {kind} section";
        }
    }

    public sealed class TemplateOptions
    {
        public string Name { get; set; } = "";
        public int Version { get; set; } = 1;
        public List<SectionOptions> Sections { get; set; } = [];
    }

    public sealed class SectionOptions
    {
        public string Key { get; set; } = "";
        public string Title { get; set; } = "";
        public string Prompt { get; set; } = "";
        public bool Required { get; set; }
        public SectionKind Kind { get; set; } = SectionKind.Text;
    }
}
