using System.Diagnostics.CodeAnalysis;

namespace Bot.Core.Conversation;

/// <summary>
/// Fitting text into the limits of platforms and APIs: cut with an ellipsis, bounded without one, or onto one line.
/// Never between the two halves of a character outside the basic plane (an emoji), which platforms refuse or garble.
/// </summary>
public static class Plain
{
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Cut(string? text, int max) => text is null || text.Length <= max ? text : Limit(text, max - 1) + "…";

    /// <summary>At most <paramref name="max"/> characters of <paramref name="text"/>, as typed text is bounded before it is read.</summary>
    public static string Limit(string text, int max)
    {
        if (text.Length <= max) return text;
        var end = max > 0 && char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return text[..end];
    }

    /// <summary>One line of at most 140 characters, for headers.</summary>
    public static string OneLine(string text) => Cut(text.ReplaceLineEndings(" "), 140);
}
