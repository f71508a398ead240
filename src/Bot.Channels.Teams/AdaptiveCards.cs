using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bot.Core.Conversation;

namespace Bot.Channels.Teams;

/// <summary>
/// Renders the neutral message and form models as Adaptive Cards 1.5 (Teams' limit for bot cards). Buttons are
/// <c>Action.Execute</c> (answered with an updated card) with an <c>Action.Submit</c> fallback. Cards stay under
/// Teams' message size by dropping trailing text blocks, never by failing.
/// </summary>
public static partial class AdaptiveCards
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";
    public const string Version = "1.5";
    public const string SubmitVerb = "form.submit";

    /// <summary>Teams rejects messages above about 100 KB; cards are kept well below, leaving room for the activity.</summary>
    public const int MaxCardBytes = 80 * 1024;

    public static JsonObject Render(Message message)
    {
        var body = new List<JsonNode>();
        var actions = new List<JsonNode>();
        foreach (var block in message.Blocks)
        {
            switch (block)
            {
                case HeaderBlock h:
                    body.Add(Text(h.Text, size: "Large", weight: "Bolder"));
                    break;
                case TextBlock t:
                    body.Add(Text(Markdown(t.Markdown)));
                    break;
                case FieldsBlock f:
                    body.Add(new JsonObject
                    {
                        ["type"] = "FactSet",
                        ["facts"] = new JsonArray(f.Fields.Select(x => (JsonNode)new JsonObject { ["title"] = NoLinks(x.Label), ["value"] = NoLinks(Markdown(x.Value)) }).ToArray()),
                    });
                    break;
                case ContextBlock c:
                    body.Add(Text(Markdown(c.Text), size: "Small", subtle: true));
                    break;
                case ButtonsBlock b:
                    actions.AddRange(b.Buttons.Select(Execute));
                    break;
                // Teams fetches images itself: a path only a local page can load is left out.
                case ImageBlock i when Uri.TryCreate(i.Url, UriKind.Absolute, out var url) && url.Scheme is "https" or "http":
                    body.Add(new JsonObject { ["type"] = "Image", ["url"] = i.Url, ["altText"] = i.AltText });
                    break;
            }
        }
        return Fit(Card(body, actions));
    }

    /// <summary>
    /// A form as a card; <paramref name="people"/> fills person pickers (a choice set of directory people).
    /// <paramref name="context"/> travels in the submit action's data and comes back with the submission.
    /// </summary>
    public static JsonObject Render(Form form, IReadOnlyList<(string Key, string Name)> people, JsonObject? context = null, bool dialog = false)
    {
        var body = new List<JsonNode> { Text(form.Title, size: "Large", weight: "Bolder") };
        foreach (var field in form.Fields)
        {
            var input = new JsonObject { ["id"] = field.Id, ["label"] = field.Label, ["isRequired"] = field.Required };
            switch (field.Kind)
            {
                case FieldKind.Text or FieldKind.Multiline:
                    input["type"] = "Input.Text";
                    if (field.Kind == FieldKind.Multiline) input["isMultiline"] = true;
                    if (field.MaxLength is { } max) input["maxLength"] = max;
                    if (field.Initial is { Length: > 0 } text) input["value"] = text;
                    break;
                case FieldKind.Select or FieldKind.Person:
                    input["type"] = "Input.ChoiceSet";
                    input["style"] = "compact";
                    var choices = field.Kind == FieldKind.Select
                        ? (field.Options ?? []).Select(o => (Title: o.Label, Value: o.Value))
                        : people.Select(p => (Title: p.Name, Value: p.Key));
                    input["choices"] = new JsonArray(choices.Select(c => (JsonNode)new JsonObject { ["title"] = c.Title, ["value"] = c.Value }).ToArray());
                    if (field.Initial is { Length: > 0 } selected) input["value"] = selected;
                    break;
                case FieldKind.Check:
                    input["type"] = "Input.Toggle";
                    input["title"] = field.Options?.FirstOrDefault()?.Label ?? field.Label;
                    input["valueOn"] = "true";
                    input["valueOff"] = "false";
                    input["value"] = field.Initial == "true" ? "true" : "false";
                    break;
                case FieldKind.Date:
                    input["type"] = "Input.Date";
                    if (DateOnly.TryParse(field.Initial, System.Globalization.CultureInfo.InvariantCulture, out var date))
                        input["value"] = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                    break;
            }
            if (field.Placeholder is { Length: > 0 } placeholder && field.Kind is not (FieldKind.Date or FieldKind.Check)) input["placeholder"] = placeholder;
            if (field.Required) input["errorMessage"] = $"{field.Label} is required.";
            body.Add(input);
            if (field.Hint is { Length: > 0 } hint) body.Add(Text(hint, size: "Small", subtle: true));
            if (field.Error is { Length: > 0 } error) body.Add(Text(error, size: "Small", color: "Attention"));
        }

        var data = new JsonObject { ["formId"] = form.FormId.ToString(), ["state"] = form.PrivateState };
        if (context is not null) data["context"] = context;
        // In a dialog Teams turns Action.Submit into task/submit; in a conversation Action.Execute answers with a card.
        var submit = dialog
            ? new JsonObject { ["type"] = "Action.Submit", ["title"] = form.SubmitLabel, ["data"] = data }
            : new JsonObject
            {
                ["type"] = "Action.Execute", ["title"] = form.SubmitLabel, ["verb"] = SubmitVerb, ["data"] = data, ["associatedInputs"] = "auto",
                ["fallback"] = new JsonObject { ["type"] = "Action.Submit", ["title"] = form.SubmitLabel, ["data"] = data.DeepClone() },
            };
        return Fit(Card(body, [submit]));
    }

    /// <summary>A card with one button that opens a dialog (<c>task/fetch</c> carrying <paramref name="data"/>).</summary>
    public static JsonObject DialogLauncher(string title, string text, string button, JsonObject data)
    {
        data["msteams"] = new JsonObject { ["type"] = "task/fetch" };
        return Card([Text(title, size: "Large", weight: "Bolder"), Text(text)], [new JsonObject { ["type"] = "Action.Submit", ["title"] = button, ["data"] = data }]);
    }

    /// <summary>The answer to <c>task/fetch</c> (or to an invalid <c>task/submit</c>): show this card in a dialog.</summary>
    public static JsonObject Dialog(string title, JsonObject card) => new()
    {
        ["task"] = new JsonObject
        {
            ["type"] = "continue",
            ["value"] = new JsonObject
            {
                ["title"] = title, ["width"] = "medium", ["height"] = "large",
                ["card"] = new JsonObject { ["contentType"] = ContentType, ["content"] = card },
            },
        },
    };

    /// <summary>Closes the dialog, or tells why it cannot open, with a short message.</summary>
    public static JsonObject DialogMessage(string text) => new()
    {
        ["task"] = new JsonObject { ["type"] = "message", ["value"] = text },
    };

    private static JsonObject Card(List<JsonNode> body, List<JsonNode> actions)
    {
        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = Version,
            ["body"] = new JsonArray(body.ToArray()),
        };
        if (actions.Count > 0) card["actions"] = new JsonArray(actions.ToArray());
        return card;
    }

    private static JsonNode Execute(Button button)
    {
        if (button.Url is not null) return new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = button.Label, ["url"] = button.Url };
        var data = new JsonObject { ["actionId"] = button.ActionId.ToString(), ["value"] = button.Value };
        var action = new JsonObject
        {
            ["type"] = "Action.Execute",
            ["title"] = button.Label,
            ["verb"] = button.ActionId.ToString(),
            ["data"] = data,
            ["fallback"] = new JsonObject { ["type"] = "Action.Submit", ["title"] = button.Label, ["data"] = data.DeepClone() },
        };
        // Teams shows no positive/destructive styling; the primary action is still marked for clients that do.
        if (button.Style == ButtonStyle.Primary) action["style"] = "positive";
        return action;
    }

    private static JsonObject Text(string text, string? size = null, string? weight = null, bool subtle = false, string? color = null)
    {
        var node = new JsonObject { ["type"] = "TextBlock", ["text"] = NoLinks(text), ["wrap"] = true };
        if (size is not null) node["size"] = size;
        if (weight is not null) node["weight"] = weight;
        if (subtle) node["isSubtle"] = true;
        if (color is not null) node["color"] = color;
        return node;
    }

    /// <summary>
    /// Text people and tools wrote may carry Markdown link syntax (<c>[Open runbook](https://evil.example)</c>), which
    /// Teams would show as a disguised link. The bot's templates write no links in text (links are buttons), so no
    /// <c>](</c> in text is read as one: a zero-width space between the two keeps it text, shown as written.
    /// </summary>
    public static string NoLinks(string text) => text.Replace("](", "]\u200B(", StringComparison.Ordinal);

    /// <summary>The neutral model's *bold* becomes Adaptive Cards' **bold**; `code` has no card form and stays as text.</summary>
    public static string Markdown(string text) => SlackBold().Replace(text, "**$1**");

    private static JsonObject Fit(JsonObject card)
    {
        var body = card["body"]!.AsArray();
        var shortened = false;
        while (body.Count > 1 && Encoding.UTF8.GetByteCount(card.ToJsonString()) > MaxCardBytes)
        {
            body.RemoveAt(body.Count - 1);
            shortened = true;
        }
        if (shortened) body.Add(Text("… shortened to fit Teams' message size", size: "Small", subtle: true));
        return card;
    }

    [GeneratedRegex(@"(?<![\*\w])\*([^*\n]+)\*(?![\*\w])")]
    private static partial Regex SlackBold();
}
