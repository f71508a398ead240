using System.Text.Json.Nodes;
using Bot.Channels.Teams;
using Bot.Core.Conversation;

namespace Bot.Testing.Conformance;

/// <summary>Reads Adaptive Cards the way a person sees them, back into the neutral model, so scenarios can assert on them.</summary>
public static class AdaptiveCardReader
{
    public static JsonObject? Card(JsonObject? activity) =>
        activity?["attachments"]?[0] is JsonObject a && a.At("contentType") == AdaptiveCards.ContentType ? a["content"] as JsonObject : null;

    public static Message Message(JsonObject card)
    {
        var blocks = new List<Block>();
        foreach (var element in card["body"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            switch (element.At("type"))
            {
                case "TextBlock" when element.At("size") == "Large":
                    blocks.Add(new HeaderBlock(Shown(element.At("text"))));
                    break;
                case "TextBlock" when element["isSubtle"] is not null:
                    blocks.Add(new ContextBlock(Shown(element.At("text"))));
                    break;
                case "TextBlock":
                    blocks.Add(new TextBlock(Shown(element.At("text"))));
                    break;
                case "FactSet":
                    blocks.Add(new FieldsBlock(element["facts"]!.AsArray().Select(f => new Field(f.At("title") ?? "", f.At("value") ?? "")).ToArray()));
                    break;
                case "Image":
                    blocks.Add(new ImageBlock(element.At("url") ?? "", element.At("altText") ?? ""));
                    break;
            }
        }
        var buttons = Actions(card).Where(a => a["data"].At("formId") is null)
            .Select(a => new Button(ActionId.FromWire(a["data"].At("actionId")), a.At("title") ?? "", a["data"].At("value") ?? "", Url: a.At("url"))).ToArray();
        if (buttons.Length > 0) blocks.Add(new ButtonsBlock(buttons));
        return new Message(blocks, "");
    }

    /// <summary>The form a card shows (null when it has no submit action), with the errors shown beside its inputs.</summary>
    public static Form? Form(JsonObject card)
    {
        var submit = Submit(card);
        if (submit is null) return null;
        var body = card["body"]!.AsArray().OfType<JsonObject>().ToArray();
        var fields = new List<FormField>();
        foreach (var element in body)
        {
            var type = element.At("type");
            if (type is not null && type.StartsWith("Input.", StringComparison.Ordinal))
            {
                var kind = type switch
                {
                    "Input.Date" => FieldKind.Date,
                    "Input.Toggle" => FieldKind.Check,
                    "Input.ChoiceSet" => FieldKind.Select,
                    _ => element["isMultiline"] is not null ? FieldKind.Multiline : FieldKind.Text,
                };
                var options = kind == FieldKind.Select
                    ? element["choices"]!.AsArray().Select(c => new FormOption(c.At("value") ?? "", c.At("title") ?? "")).ToArray()
                    : null;
                fields.Add(new FormField(element.At("id")!, element.At("label") ?? "", kind, element["isRequired"]?.GetValue<bool>() ?? false,
                    element.At("value"), options, element.At("placeholder")));
            }
            else if (type == "TextBlock" && element.At("color") == "Attention" && fields.Count > 0)
            {
                fields[^1] = fields[^1] with { Error = element.At("text") };
            }
        }
        var title = body.FirstOrDefault(e => e.At("size") == "Large").At("text") ?? "";
        return new Form(FormId.FromWire(submit["data"].At("formId")), title, fields, submit.At("title") ?? "", submit["data"].At("state"));
    }

    /// <summary>A form's submit action: Action.Execute with the submit verb in a conversation, Action.Submit in a dialog.</summary>
    public static JsonObject? Submit(JsonObject card) => Actions(card).FirstOrDefault(a =>
        a.At("verb") == AdaptiveCards.SubmitVerb || (a.At("type") == "Action.Submit" && a["data"].At("formId") is not null && a["data"]?["msteams"] is null));

    /// <summary>The "Open the form" button of a card that opens a form in a dialog.</summary>
    public static JsonObject? DialogLauncher(JsonObject card) => Actions(card).FirstOrDefault(a => a["data"].At("msteams", "type") == "task/fetch");

    public static IEnumerable<JsonObject> Actions(JsonObject card) => card["actions"]?.AsArray().OfType<JsonObject>() ?? [];

    /// <summary>A zero-width space is not seen.</summary>
    private static string Shown(string? text) => (text ?? "").Replace("\u200B", "", StringComparison.Ordinal);
}
