namespace Bot.Core.Conversation;

/// <summary>What kind of input a field is. <see cref="Check"/> is one checkbox: its value is "true" or "false".</summary>
public enum FieldKind { Text, Multiline, Select, Person, Date, Check }

public sealed record FormOption(string Value, string Label);

/// <summary>
/// One input of a form. <see cref="Options"/> is used by <see cref="FieldKind.Select"/> (and a <see cref="FieldKind.Check"/>
/// shows its single option's label beside the box); channels fill
/// <see cref="FieldKind.Person"/> from the directory or their own people picker. <see cref="Error"/> is shown beside the field.
/// </summary>
public sealed record FormField(
    string Id,
    string Label,
    FieldKind Kind,
    bool Required = false,
    string? Initial = null,
    IReadOnlyList<FormOption>? Options = null,
    string? Placeholder = null,
    string? Hint = null,
    int? MaxLength = null,
    string? Error = null);

/// <summary>A form the person fills in; <see cref="PrivateState"/> comes back untouched with the submission.</summary>
public sealed record Form(FormId FormId, string Title, IReadOnlyList<FormField> Fields, string SubmitLabel, string? PrivateState = null)
{
    /// <summary>The same form showing the submitted values and the errors beside their fields.</summary>
    public Form WithErrors(IReadOnlyDictionary<string, string> errors, IReadOnlyDictionary<string, string?> values) =>
        this with
        {
            Fields = Fields.Select(f => f with
            {
                Initial = values.TryGetValue(f.Id, out var v) ? v : f.Initial,
                Error = errors.TryGetValue(f.Id, out var e) ? e : null,
            }).ToArray(),
        };
}

/// <summary>What a flow says about a submitted form: accepted, or errors by field id to show in the form.</summary>
public sealed record FormResult(IReadOnlyDictionary<string, string> Errors)
{
    public static readonly FormResult Accepted = new(new Dictionary<string, string>());

    public bool IsAccepted => Errors.Count == 0;

    /// <summary>The flow failed (the person was told); nothing was stored, so the form may be sent again.</summary>
    public bool Failed { get; init; }

    public static readonly FormResult Failure = new(new Dictionary<string, string>()) { Failed = true };

    public static FormResult Invalid(IReadOnlyDictionary<string, string> errors) => new(errors);
}
