namespace Bot.Core.Features.Reviews;

/// <summary>The <c>Reviews</c> section: what is shared across teams.</summary>
public sealed class ReviewOptions
{
    public const string Section = "Reviews";

    /// <summary>The organisation-wide learnings channel per channel kind, where every completed review's summary is posted too.</summary>
    public Dictionary<string, string> LearningsChannels { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long an exported review's download link works.</summary>
    public TimeSpan ExportLinkLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Phrases the blameless-language coach notes, added to its defaults (or instead of them, see <see cref="UseDefaultPhrases"/>).</summary>
    public List<CoachPhrase> CoachPhrases { get; set; } = [];

    public bool UseDefaultPhrases { get; set; } = true;
}
