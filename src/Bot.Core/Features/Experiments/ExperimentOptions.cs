namespace Bot.Core.Features.Experiments;

/// <summary>The <c>Experiments</c> section.</summary>
public sealed class ExperimentOptions
{
    public const string Section = "Experiments";

    /// <summary>The organisation's experiments forum per channel kind: every proposal and result is posted there too.</summary>
    public Dictionary<string, string> ForumChannels { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
