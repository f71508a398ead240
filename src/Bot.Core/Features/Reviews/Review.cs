using Bot.Core.Storage;

namespace Bot.Core.Features.Reviews;

public enum ReviewStatus { Draft, Completed }

/// <summary>
/// A blameless post-incident review of one incident or escalation: the template it follows (a snapshot of its
/// sections, with the template's name and version), its owner, what people contributed to each section, the
/// timeline, action items and, once completed, when and by whom.
/// </summary>
public sealed class Review : IVersioned
{
    public long Id { get; set; }
    public int Version { get; set; }

    /// <summary>One review per incident: unique when set.</summary>
    public long? IncidentId { get; set; }

    /// <summary>The escalation it reviews (or that led to the incident); unique when set without an incident.</summary>
    public long? EscalationId { get; set; }

    public string TeamKey { get; set; } = "";
    public string Title { get; set; } = "";
    public int? Impact { get; set; }

    public string OwnerKey { get; set; } = "";
    public ReviewStatus Status { get; set; }

    public string TemplateName { get; set; } = "";
    public int TemplateVersion { get; set; }
    public List<ReviewSection> Sections { get; set; } = [];

    /// <summary>When the incident or escalation was resolved (or the review started): prompts count working days from here.</summary>
    public DateTimeOffset ResolvedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string StartedBy { get; set; } = "";

    /// <summary>The end of the team's due window, in working days after resolution.</summary>
    public DateTimeOffset DueAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
    public string? CompletedBy { get; set; }

    public List<ReviewContribution> Contributions { get; set; } = [];
    public List<ReviewTimelineEntry> Timeline { get; set; } = [];
    public List<ActionItem> ActionItems { get; set; } = [];

    public ReviewSection? Section(string key) => Sections.FirstOrDefault(s => s.Key == key);

    public IEnumerable<ReviewContribution> ContributionsTo(string key) => Contributions.Where(c => c.Section == key).OrderBy(c => c.At).ThenBy(c => c.Id);

    /// <summary>Whether a section has content: text written to it, timeline entries or action items.</summary>
    public bool HasContent(ReviewSection section) => section.Kind switch
    {
        SectionKind.Timeline => Timeline.Count > 0 || ContributionsTo(section.Key).Any(),
        SectionKind.Actions => ActionItems.Count > 0 || ContributionsTo(section.Key).Any(),
        _ => ContributionsTo(section.Key).Any(),
    };

    public IReadOnlyList<ReviewSection> MissingRequired => Sections.Where(s => s.Required && !HasContent(s)).ToArray();

    /// <summary>Distinct people who wrote something: contributions, timeline entries and action items they added.</summary>
    public int Participants => Contributions.Select(c => c.By)
        .Concat(Timeline.Where(t => t.AddedBy != null).Select(t => t.AddedBy!))
        .Concat(ActionItems.Select(a => a.CreatedBy)).Where(k => k.Length > 0).Distinct(StringComparer.Ordinal).Count();
}

public enum SectionKind { Text, Timeline, Factors, Actions }

/// <summary>One section of a review's template: what it asks, whether completing needs it, and what kind of input it takes.</summary>
public sealed record ReviewSection(string Key, string Title, string Prompt, bool Required = false, SectionKind Kind = SectionKind.Text);

/// <summary>What one person wrote to one section; a person edits their own contribution. Coach notes are shown beside it.</summary>
public sealed class ReviewContribution
{
    public long Id { get; set; }
    public long ReviewId { get; set; }
    public string Section { get; set; } = "";

    /// <summary>The person's directory key, or their platform name when they are not in the directory.</summary>
    public string By { get; set; } = "";
    public string ByName { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string Text { get; set; } = "";

    /// <summary>Contributing-factor tags (process, tooling, …), lower case.</summary>
    public List<string> Tags { get; set; } = [];
    public List<CoachNote> Notes { get; set; } = [];
}

/// <summary>A line of the review's timeline: copied from the incident, the escalation or the incident tool, or added by someone.</summary>
public sealed class ReviewTimelineEntry
{
    public long Id { get; set; }
    public long ReviewId { get; set; }
    public DateTimeOffset At { get; set; }
    public string Text { get; set; } = "";

    /// <summary>Where it came from: <c>incident</c>, <c>escalation</c>, the incident tool's name, or <c>added</c>.</summary>
    public string Source { get; set; } = "";

    /// <summary>The entry's id where it came from (to update it when it is edited there).</summary>
    public string? SourceId { get; set; }

    /// <summary>Changed after it was first written (in the incident tool, or by the person who added it).</summary>
    public bool Edited { get; set; }
    public string? AddedBy { get; set; }
    public string? AddedByName { get; set; }
}

public enum ActionKind { Prevent, Detect, Mitigate, Process }

public enum ActionStatus { Open, Done, NotDoing }

/// <summary>A change the review commits to, with an owner and a due date; reminded until done or declined with a reason.</summary>
public sealed class ActionItem : IVersioned
{
    public long Id { get; set; }
    public int Version { get; set; }
    public long ReviewId { get; set; }
    public string Title { get; set; } = "";
    public string OwnerKey { get; set; } = "";
    public DateOnly DueOn { get; set; }
    public ActionKind Kind { get; set; }
    public ActionStatus Status { get; set; }
    public string? Note { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public int PushedBack { get; set; }
}
