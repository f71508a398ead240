using Bot.Core.Conversation;

namespace Bot.Testing.Conformance;

/// <summary>A message as a person sees it in a channel, with the channel's own id for it.</summary>
public sealed record SeenMessage(string Id, Message Message)
{
    /// <summary>What a person reads, block by block: headers, text, "Label: value" fields, context, [Buttons].</summary>
    public string Text => ReadableText(Message);

    public static string ReadableText(Message message) => string.Join("\n", message.Blocks.Select(b => b switch
    {
        HeaderBlock h => h.Text,
        TextBlock t => t.Markdown,
        FieldsBlock f => string.Join("\n", f.Fields.Select(x => $"{x.Label}: {x.Value}")),
        ContextBlock c => c.Text,
        ButtonsBlock bs => string.Join(" ", bs.Buttons.Select(x => $"[{x.Label}]")),
        ImageBlock i => i.AltText,
        _ => "",
    }));

    public IReadOnlyList<Button> Buttons => Message.Blocks.OfType<ButtonsBlock>().SelectMany(b => b.Buttons).ToArray();

    public Button Button(ActionId actionId) => Buttons.Single(b => b.ActionId == actionId);
}

public sealed record SeenForm(string Id, Form Form)
{
    public FormField Field(string id) => Form.Fields.Single(f => f.Id == id);
}

public sealed record FormOutcome(bool Accepted, IReadOnlyDictionary<string, string> Errors);

/// <summary>
/// Drives one channel through its own wire protocol, as a person would: type a command, fill a form, click a button,
/// read what the team channel, a direct message or a private reply shows. Slack, Teams and the playground each
/// implement it; every flow's scenarios run through every driver.
/// </summary>
public interface IChannelDriver
{
    string Channel { get; }

    /// <summary>The bot is added to the workspace or team, as an admin does before anyone uses it (Teams learns its service URL here).</summary>
    Task InstallAsync() => Task.CompletedTask;

    /// <summary>
    /// A message action ("Escalate this message" for <c>escalate</c>) on a message someone wrote in the general channel,
    /// where the platform has message actions; the form it opens is then this person's open form. False where the
    /// platform has none (the playground).
    /// </summary>
    Task<bool> MessageActionAsync(string person, string command, string messageText) => Task.FromResult(false);

    /// <summary>What the bot posted in the thread of the message the last message action was taken on.</summary>
    Task<IReadOnlyList<SeenMessage>> ThreadRepliesAsync() => Task.FromResult<IReadOnlyList<SeenMessage>>([]);

    Task CommandAsync(string person, string text);

    /// <summary>
    /// Text typed to the bot where people talk to it directly: its direct messages in Slack, the 1:1 chat in Teams (the
    /// playground has one box for everything).
    /// </summary>
    Task SayToBotAsync(string person, string text);

    /// <summary>Text after a mention of the bot in a team's channel ("@Ops Culture Bot incident"); the answer goes to its thread.</summary>
    Task MentionBotAsync(string person, string teamKey, string text);

    Task<SeenForm> FormAsync(string person, FormId formId);

    Task<FormOutcome> SubmitAsync(string person, SeenForm form, IReadOnlyDictionary<string, string?> values);

    Task ClickAsync(string person, SeenMessage message, ActionId actionId);

    Task<SeenMessage> TeamMessageAsync(string teamKey, Func<SeenMessage, bool> match, string what);

    Task<SeenMessage> DirectMessageAsync(string person, Func<SeenMessage, bool> match, string what);

    Task<SeenMessage> PrivateReplyAsync(string person, Func<SeenMessage, bool> match, string what);

    Task<IReadOnlyList<SeenMessage>> DirectMessagesAsync(string person);

    Task<IReadOnlyList<SeenMessage>> TeamMessagesAsync(string teamKey);
}
