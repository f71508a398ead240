using System.Text.Json.Nodes;
using Bot.Channels.Slack;
using Bot.Core.Conversation;

namespace Bot.Testing.Conformance;

/// <summary>Reads Block Kit the way a person sees it, back into the neutral model, so scenarios can assert on it.</summary>
public static class BlockKitReader
{
    public static Message Message(JsonObject body)
    {
        var blocks = new List<Block>();
        foreach (var block in body["blocks"]?.AsArray() ?? [])
        {
            switch (block.Str("type"))
            {
                case "header":
                    blocks.Add(new HeaderBlock(block.Str("text", "text") ?? ""));
                    break;
                case "section" when block!["fields"] is JsonArray fields:
                    blocks.Add(new FieldsBlock(fields.Select(f =>
                    {
                        var text = Shown(f.Str("text"));
                        var split = text.IndexOf('\n');
                        return split < 0 ? new Field(text, "") : new Field(text[..split].Trim('*'), text[(split + 1)..]);
                    }).ToArray()));
                    break;
                case "section":
                    blocks.Add(new TextBlock(Shown(block.Str("text", "text"))));
                    break;
                case "context":
                    blocks.Add(new ContextBlock(string.Join(" ", block!["elements"]!.AsArray().Select(e => Shown(e.Str("text"))))));
                    break;
                case "actions":
                    blocks.Add(new ButtonsBlock(block!["elements"]!.AsArray().Select(e => new Button(
                        ActionId.FromWire(e.Str("action_id")), e.Str("text", "text") ?? "", e.Str("value") ?? "",
                        e.Str("style") switch { "primary" => ButtonStyle.Primary, "danger" => ButtonStyle.Danger, _ => ButtonStyle.Default }, e.Str("url"))).ToArray()));
                    break;
                case "image":
                    blocks.Add(new ImageBlock(block.Str("image_url") ?? "", block.Str("alt_text") ?? ""));
                    break;
            }
        }
        return new Message(blocks, Shown(body.Str("text")));
    }

    /// <summary>Slack shows its three entities as the characters they stand for.</summary>
    private static string Shown(string? mrkdwn) =>
        (mrkdwn ?? "").Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);

    public static Form Form(JsonObject view) => new(
        FormId.FromWire(view.Str("callback_id")),
        view.Str("title", "text") ?? "",
        (view["blocks"]?.AsArray() ?? []).Where(b => b.Str("type") == "input").Select(b =>
        {
            var element = b!["element"]!;
            var kind = element.Str("type") switch
            {
                "plain_text_input" when element["multiline"]?.GetValue<bool>() == true => FieldKind.Multiline,
                "plain_text_input" => FieldKind.Text,
                "static_select" => FieldKind.Select,
                "users_select" => FieldKind.Person,
                "datepicker" => FieldKind.Date,
                "checkboxes" => FieldKind.Check,
                var other => throw new InvalidOperationException($"Unexpected input element {other}"),
            };
            return new FormField(
                b.Str("block_id") ?? "",
                b.Str("label", "text") ?? "",
                kind,
                Required: b["optional"]?.GetValue<bool>() != true,
                Initial: element.Str("initial_value") ?? element.Str("initial_option", "value") ?? element.Str("initial_date") ?? element.Str("initial_user"),
                Options: element["options"]?.AsArray().Select(o => new FormOption(o.Str("value") ?? "", o.Str("text", "text") ?? "")).ToArray(),
                Placeholder: element.Str("placeholder", "text"),
                Hint: b.Str("hint", "text"),
                MaxLength: element["max_length"]?.GetValue<int>());
        }).ToArray(),
        view.Str("submit", "text") ?? "",
        view.Str("private_metadata"));
}
