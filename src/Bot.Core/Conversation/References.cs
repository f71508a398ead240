using System.Globalization;

namespace Bot.Core.Conversation;

/// <summary>How people write a record: a prefix and its id (<c>INC-7</c>, <c>PIR-3</c>, <c>EXP-4</c>), read back with or without the prefix.</summary>
public static class References
{
    public static string Of(string prefix, long id) => prefix + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads <c>{prefix}7</c> in any case, or <c>7</c>.</summary>
    public static long? Parse(string prefix, string? text)
    {
        if (text is null) return null;
        var t = text.Trim();
        if (t.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) t = t[prefix.Length..];
        return long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }
}
