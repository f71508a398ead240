namespace Bot.Core.Conversation;

/// <summary>A slash command or its equivalent: <c>/escalate checkout is failing</c> is name "escalate", text "checkout is failing".</summary>
public sealed record Command(string Name, string Text)
{
    /// <summary>The message the command was started from ("Escalate this message"), when it was; its text is the command's text.</summary>
    public SourceMessage? From { get; init; }

    /// <summary>Parses "/escalate text", "escalate text" or "@Bot escalate text" (mention already stripped by the channel).</summary>
    public static Command? Parse(string? input)
    {
        var trimmed = (input ?? string.Empty).Trim();
        if (trimmed.Length == 0) return null;
        if (trimmed[0] == '/') trimmed = trimmed[1..];
        var space = trimmed.IndexOfAny([' ', '\t', '\n']);
        var name = (space < 0 ? trimmed : trimmed[..space]).ToLowerInvariant();
        var text = space < 0 ? string.Empty : trimmed[(space + 1)..].Trim();
        return name.Length == 0 ? null : new Command(name, text);
    }
}

/// <summary>
/// A message a command was started from, as its channel tells it: a link that opens it (when the platform gives one), and
/// where a reply in its thread goes (a channel's own address form).
/// </summary>
public sealed record SourceMessage(string? Url, ConversationAddress? Thread);

/// <summary>A button press: which action, the value it carried, and the message it sits on.</summary>
public sealed record ButtonAction(ActionId ActionId, string Value, MessageRef? Message);

/// <summary>A submitted form: its id, the field values by field id, and the private state the flow put in the form.</summary>
public sealed record FormSubmission(FormId FormId, IReadOnlyDictionary<string, string?> Values, string? PrivateState)
{
    public string? Value(string fieldId) =>
        Values.TryGetValue(fieldId, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    /// <summary>
    /// Whether the field holds exactly one of <typeparamref name="T"/>'s names, as the form offered it; false for
    /// anything else a client could send back (a number, "A, B" which the enum parser would combine, an unknown name).
    /// </summary>
    public bool TryChoice<T>(string fieldId, out T choice) where T : struct, Enum
    {
        choice = default;
        return Value(fieldId) is { } v && Enum.GetNames<T>().Contains(v, StringComparer.Ordinal) && Enum.TryParse(v, out choice);
    }
}
