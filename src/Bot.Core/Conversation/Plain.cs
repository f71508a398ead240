using System.Diagnostics.CodeAnalysis;

namespace Bot.Core.Conversation;

/// <summary>Fitting text into the limits of platforms and APIs: cut with an ellipsis, or onto one line.</summary>
public static class Plain
{
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Cut(string? text, int max) => text is null || text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <summary>One line of at most 140 characters, for headers.</summary>
    public static string OneLine(string text) => Cut(text.ReplaceLineEndings(" "), 140);
}
