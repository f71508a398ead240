using System.Text.Json.Serialization;

namespace Bot.Core.Conversation;

/// <summary>An outbound message: ordered blocks plus a plain-text fallback for notifications and screen readers.</summary>
public sealed record Message(IReadOnlyList<Block> Blocks, string FallbackText)
{
    public static MessageBuilder Build(string fallbackText) => new(fallbackText);

    public static Message Text(string markdown) => new([new TextBlock(markdown)], markdown);

    /// <summary>
    /// What this message is, as a key that stays the same however often it is sent ("incident:7:card"). Channels
    /// that can read their history back attach it to the post, so a send that may have gone through is found, not repeated.
    /// </summary>
    public string? Tag { get; init; }
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(HeaderBlock), "header")]
[JsonDerivedType(typeof(TextBlock), "text")]
[JsonDerivedType(typeof(FieldsBlock), "fields")]
[JsonDerivedType(typeof(ContextBlock), "context")]
[JsonDerivedType(typeof(ButtonsBlock), "buttons")]
[JsonDerivedType(typeof(ImageBlock), "image")]
public abstract record Block;

public sealed record HeaderBlock(string Text) : Block;

/// <summary>Markdown subset every channel can show: *bold*, _italic_, `code`, links, line breaks.</summary>
public sealed record TextBlock(string Markdown) : Block;

public sealed record Field(string Label, string Value);

public sealed record FieldsBlock(IReadOnlyList<Field> Fields) : Block;

public sealed record ContextBlock(string Text) : Block;

public enum ButtonStyle { Default, Primary, Danger }

/// <summary>A button; with <paramref name="Url"/> it is a link that opens that page (the click still reaches the flow where the platform reports it).</summary>
public sealed record Button(ActionId ActionId, string Label, string Value, ButtonStyle Style = ButtonStyle.Default, string? Url = null);

public sealed record ButtonsBlock(IReadOnlyList<Button> Buttons) : Block;

public sealed record ImageBlock(string Url, string AltText) : Block;

public sealed class MessageBuilder(string fallbackText)
{
    private readonly List<Block> _blocks = [];

    public MessageBuilder Header(string text) => Add(new HeaderBlock(text));
    public MessageBuilder Text(string markdown) => Add(new TextBlock(markdown));
    public MessageBuilder Fields(params Field[] fields) => fields.Length == 0 ? this : Add(new FieldsBlock(fields));
    public MessageBuilder Context(string text) => Add(new ContextBlock(text));
    public MessageBuilder Buttons(params Button[] buttons) => buttons.Length == 0 ? this : Add(new ButtonsBlock(buttons));
    public MessageBuilder Image(string url, string altText) => Add(new ImageBlock(url, altText));

    public Message Done() => new(_blocks.ToArray(), fallbackText);

    private MessageBuilder Add(Block block)
    {
        _blocks.Add(block);
        return this;
    }
}
