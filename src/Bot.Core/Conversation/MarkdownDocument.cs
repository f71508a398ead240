using System.Text;

namespace Bot.Core.Conversation;

/// <summary>Text people and tools wrote, made safe inside a Markdown document (an export, a report): shown as written, never as markup.</summary>
public static class MarkdownDocument
{
    /// <summary>Text on one line: HTML and Markdown characters escaped, line breaks as spaces.</summary>
    public static string Inline(string text) => Escape(text.ReplaceLineEndings(" "));

    /// <summary>Paragraphs people wrote: each line escaped, and a line that would start a heading, list or quote kept as text.</summary>
    public static string Block(string text) =>
        string.Join("  \n", text.ReplaceLineEndings("\n").Split('\n').Select(line =>
        {
            var escaped = Escape(line);
            return escaped.Length > 0 && "#-+=>".Contains(escaped[0]) || (escaped.Length > 1 && char.IsAsciiDigit(escaped[0]) && escaped.TrimStart("0123456789".ToCharArray()).StartsWith('.'))
                ? "\\" + escaped
                : escaped;
        }));

    private static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '!': sb.Append('\\').Append(ch); break;
                default: sb.Append(ch); break;
            }
        }
        return sb.ToString();
    }
}
