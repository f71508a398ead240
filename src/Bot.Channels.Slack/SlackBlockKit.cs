using System.Text.Json.Nodes;
using Bot.Core.Conversation;

namespace Bot.Channels.Slack;

/// <summary>
/// Renders the neutral message and form models as Block Kit within Slack's limits: over-long text is cut with an
/// ellipsis or split over several blocks, never sent for Slack to reject.
/// </summary>
public static class SlackBlockKit
{
    public const int MaxMessageBlocks = 50;
    public const int MaxModalBlocks = 100;
    public const int MaxText = 3000;
    public const int MaxHeader = 150;
    public const int MaxFieldText = 2000;
    public const int MaxFields = 10;
    public const int MaxContextElements = 10;
    public const int MaxButtons = 25;
    public const int MaxButtonLabel = 75;
    public const int MaxButtonValue = 2000;
    public const int MaxButtonUrl = 3000;
    public const int MaxModalTitle = 24;
    public const int MaxPrivateMetadata = 3000;
    public const int MaxOptions = 100;
    public const int MaxOptionText = 75;
    public const int MaxPlaceholder = 150;
    public const int MaxFallbackText = 4000;
    public const int MaxId = 255;
    public const string InputActionId = "value";

    public static string Cut(string text, int max) => Core.Conversation.Plain.Cut(text, max);

    /// <summary>The message's blocks (at most 50) and its notification text.</summary>
    public static (JsonArray Blocks, string Text) Render(Message message)
    {
        var blocks = new List<JsonObject>();
        foreach (var block in message.Blocks)
        {
            switch (block)
            {
                case HeaderBlock h:
                    blocks.Add(new JsonObject { ["type"] = "header", ["text"] = Plain(OneLine(h.Text), MaxHeader) });
                    break;
                case TextBlock t:
                    foreach (var part in Split(t.Markdown, MaxText)) blocks.Add(new JsonObject { ["type"] = "section", ["text"] = Mrkdwn(part) });
                    break;
                case FieldsBlock f:
                    foreach (var chunk in f.Fields.Chunk(MaxFields))
                    {
                        blocks.Add(new JsonObject
                        {
                            ["type"] = "section",
                            ["fields"] = new JsonArray(chunk.Select(x => (JsonNode)Mrkdwn($"*{x.Label}*\n{x.Value}", MaxFieldText)).ToArray()),
                        });
                    }
                    break;
                case ContextBlock c:
                    blocks.Add(new JsonObject { ["type"] = "context", ["elements"] = new JsonArray(Mrkdwn(c.Text)) });
                    break;
                case ButtonsBlock b:
                    foreach (var chunk in b.Buttons.Chunk(MaxButtons))
                        blocks.Add(new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray(chunk.Select(Button).ToArray()) });
                    break;
                // Slack fetches images itself: a path only a local page can load is left out (the picture goes as a file).
                case ImageBlock i when Uri.TryCreate(i.Url, UriKind.Absolute, out var url) && url.Scheme is "https" or "http":
                    blocks.Add(new JsonObject { ["type"] = "image", ["image_url"] = i.Url, ["alt_text"] = Cut(i.AltText.Length == 0 ? "image" : i.AltText, 2000) });
                    break;
            }
        }

        if (blocks.Count > MaxMessageBlocks)
        {
            var dropped = blocks.Count - (MaxMessageBlocks - 1);
            // Keep the buttons: a message without its actions cannot be acted on.
            var actions = blocks.LastOrDefault(b => (string?)b["type"] == "actions");
            var kept = blocks.Where(b => b != actions).Take(MaxMessageBlocks - (actions is null ? 1 : 2)).ToList();
            kept.Add(new JsonObject { ["type"] = "context", ["elements"] = new JsonArray(Mrkdwn($"… {dropped} more parts not shown")) });
            if (actions is not null) kept.Add(actions);
            blocks = kept;
        }
        return (new JsonArray(blocks.Select(b => (JsonNode)b).ToArray()), Cut(Escape(message.FallbackText), MaxFallbackText));
    }

    /// <summary>A modal view for the form; <c>callback_id</c> carries the form id, <c>private_metadata</c> its state.</summary>
    public static JsonObject Modal(Form form)
    {
        var view = new JsonObject
        {
            ["type"] = "modal",
            ["callback_id"] = Cut(form.FormId.ToString(), MaxId),
            ["title"] = Plain(form.Title, MaxModalTitle),
            ["submit"] = Plain(form.SubmitLabel, MaxModalTitle),
            ["close"] = Plain("Cancel", MaxModalTitle),
            ["blocks"] = new JsonArray(form.Fields.Take(MaxModalBlocks).Select(f => (JsonNode)Input(f)).ToArray()),
        };
        if (form.PrivateState is { } state)
        {
            if (state.Length > MaxPrivateMetadata) throw new InvalidOperationException($"Form {form.FormId} carries more private state than Slack keeps.");
            view["private_metadata"] = state;
        }
        return view;
    }

    /// <summary>The submitted values of a modal, by field id, from <c>view.state.values</c>.</summary>
    public static Dictionary<string, string?> Values(JsonObject view)
    {
        var values = new Dictionary<string, string?>();
        if (view["state"]?["values"] is not JsonObject blocks) return values;
        foreach (var (blockId, actions) in blocks)
        {
            if (actions?[InputActionId] is not JsonObject input) continue;
            values[blockId] = (string?)input["type"] switch
            {
                "static_select" => input.Str("selected_option", "value"),
                "users_select" => input.Str("selected_user"),
                "datepicker" => input.Str("selected_date"),
                "checkboxes" => input["selected_options"] is JsonArray { Count: > 0 } ? "true" : "false",
                _ => input.Str("value"),
            };
        }
        return values;
    }

    private static JsonObject Input(FormField field)
    {
        var element = new JsonObject { ["action_id"] = InputActionId };
        switch (field.Kind)
        {
            case FieldKind.Text or FieldKind.Multiline:
                element["type"] = "plain_text_input";
                if (field.Kind == FieldKind.Multiline) element["multiline"] = true;
                var max = Math.Min(field.MaxLength ?? MaxText, MaxText);
                element["max_length"] = max;
                if (!string.IsNullOrEmpty(field.Initial)) element["initial_value"] = Cut(field.Initial, max);
                break;
            case FieldKind.Select:
                element["type"] = "static_select";
                var options = (field.Options ?? []).Take(MaxOptions).Select(Option).ToArray();
                element["options"] = new JsonArray(options);
                var initial = (field.Options ?? []).Take(MaxOptions).FirstOrDefault(o => o.Value == field.Initial);
                if (initial is not null) element["initial_option"] = Option(initial);
                break;
            case FieldKind.Person:
                element["type"] = "users_select";
                if (!string.IsNullOrEmpty(field.Initial) && field.Initial.StartsWith('U')) element["initial_user"] = field.Initial;
                break;
            case FieldKind.Check:
                element["type"] = "checkboxes";
                var box = new FormOption("true", field.Options?.FirstOrDefault()?.Label ?? field.Label);
                element["options"] = new JsonArray(Option(box));
                if (field.Initial == "true") element["initial_options"] = new JsonArray(Option(box));
                break;
            case FieldKind.Date:
                element["type"] = "datepicker";
                if (DateOnly.TryParse(field.Initial, System.Globalization.CultureInfo.InvariantCulture, out var date))
                    element["initial_date"] = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                break;
        }
        if (field.Placeholder is { Length: > 0 } placeholder && field.Kind is not (FieldKind.Date or FieldKind.Check)) element["placeholder"] = Plain(placeholder, MaxPlaceholder);

        var input = new JsonObject
        {
            ["type"] = "input",
            ["block_id"] = Cut(field.Id, MaxId),
            ["label"] = Plain(field.Label, 2000),
            ["optional"] = !field.Required,
            ["element"] = element,
        };
        if (field.Hint is { Length: > 0 } hint) input["hint"] = Plain(hint, 2000);
        return input;
    }

    private static JsonNode Option(FormOption option) => new JsonObject
    {
        ["text"] = Plain(option.Label, MaxOptionText),
        ["value"] = option.Value.Length <= MaxOptionText ? option.Value : throw new InvalidOperationException($"Option value '{option.Value}' is longer than Slack keeps."),
    };

    private static JsonNode Button(Button button)
    {
        var node = new JsonObject
        {
            ["type"] = "button",
            ["action_id"] = Cut(button.ActionId.ToString(), MaxId),
            ["text"] = Plain(button.Label, MaxButtonLabel),
            ["value"] = button.Value.Length <= MaxButtonValue ? button.Value : throw new InvalidOperationException("A button value is longer than Slack keeps."),
        };
        if (button.Style != ButtonStyle.Default) node["style"] = button.Style == ButtonStyle.Primary ? "primary" : "danger";
        if (button.Url is not null) node["url"] = button.Url.Length <= MaxButtonUrl ? button.Url : throw new InvalidOperationException("A button URL is longer than Slack keeps.");
        return node;
    }

    private static JsonObject Plain(string text, int max) =>
        new() { ["type"] = "plain_text", ["text"] = Cut(text.Length == 0 ? " " : text, max), ["emoji"] = true };

    /// <summary>
    /// Text as mrkdwn, with <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> escaped: what people and tools wrote
    /// (<c>&lt;!channel&gt;</c>, <c>&lt;https://evil.example|Open runbook&gt;</c>) is shown, never read as a mention or a
    /// disguised link. The bot's templates write no angle-bracket syntax (links are buttons), so all text is escaped.
    /// </summary>
    private static JsonObject Mrkdwn(string text, int max = MaxText)
    {
        var escaped = Escape(text);
        return new JsonObject { ["type"] = "mrkdwn", ["text"] = escaped.Length == 0 ? " " : Cut(escaped, max) };
    }

    /// <summary>The three characters Slack's text formats give a meaning, as the entities Slack shows as themselves.</summary>
    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    /// <summary>Splits long text over several blocks, at a line break or space near the limit where there is one.</summary>
    private static IEnumerable<string> Split(string text, int max)
    {
        while (text.Length > max)
        {
            var cut = text.LastIndexOf('\n', max - 1);
            if (cut < max / 2) cut = text.LastIndexOf(' ', max - 1);
            if (cut < max / 2) cut = max;
            yield return text[..cut];
            text = text[cut..].TrimStart();
        }
        yield return text;
    }
}
