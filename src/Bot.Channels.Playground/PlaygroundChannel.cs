using System.Globalization;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Channels.Playground;

/// <summary>
/// The local chat channel. The "platform" is the stored transcript: posting writes an entry the page shows,
/// updating rewrites it. Each call commits on its own, as a real platform would, independent of the flow's save.
/// </summary>
public sealed class PlaygroundChannel(IServiceScopeFactory scopes, TimeProvider clock, Microsoft.Extensions.Options.IOptions<PlaygroundOptions> options,
    Microsoft.Extensions.Options.IOptions<Bot.Core.BotOptions> bot) : IChatChannel
{
    public const string ChannelKind = "playground";

    public string Kind => ChannelKind;

    public bool Enabled => options.Value.Enabled;

    public static string DirectConversation(string personKey) => "dm:" + personKey;

    /// <summary>
    /// The page is served by the bot itself, so images at the bot's public address (a digest's chart) are loaded from
    /// this host: the playground works before any public address resolves, e.g. with the example configuration.
    /// </summary>
    private Message Local(Message message)
    {
        if (bot.Value.PublicBaseUrl is not { } baseUrl || !message.Blocks.OfType<ImageBlock>().Any()) return message;
        var prefix = baseUrl.AbsoluteUri.TrimEnd('/') + "/";
        return message with
        {
            Blocks = message.Blocks.Select(b => b is ImageBlock i && i.Url.StartsWith(prefix, StringComparison.Ordinal) ? i with { Url = "/" + i.Url[prefix.Length..] } : b)
                .ToArray(),
        };
    }

    public async Task<MessageRef> PostAsync(ConversationAddress to, Message message, CancellationToken cancellationToken)
    {
        var entry = await AddAsync(to.ConversationId, EntryKind.Message, PlaygroundJson.Serialize(Local(message)), visibleTo: null, cancellationToken);
        return Ref(entry);
    }

    public async Task UpdateAsync(MessageRef message, Message replacement, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var id = long.Parse(message.MessageId, CultureInfo.InvariantCulture);
        var body = PlaygroundJson.Serialize(Local(replacement));
        var now = clock.GetUtcNow();
        // As on a real platform, the last update wins: two updates at once are both accepted, never a conflict.
        var updated = await db.ConversationEntries.Where(e => e.Id == id && e.Channel == ChannelKind)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Body, body).SetProperty(e => e.UpdatedAt, now).SetProperty(e => e.Revision, e => e.Revision + 1), cancellationToken);
        if (updated == 0) throw new InvalidOperationException($"Playground message {message.MessageId} does not exist.");
    }

    public Task ReplyPrivatelyAsync(ConversationAddress where, string userId, Message message, CancellationToken cancellationToken) =>
        AddAsync(where.ConversationId, EntryKind.Message, PlaygroundJson.Serialize(Local(message)), visibleTo: userId, cancellationToken);

    public async Task<MessageRef?> DirectMessageAsync(Person person, Message message, CancellationToken cancellationToken)
    {
        var entry = await AddAsync(DirectConversation(person.Key), EntryKind.Message, PlaygroundJson.Serialize(Local(message)), visibleTo: person.Key, cancellationToken);
        return Ref(entry);
    }

    public Task OpenFormAsync(Interaction interaction, Form form, CancellationToken cancellationToken) =>
        AddAsync(interaction.Where.ConversationId, EntryKind.Form, PlaygroundJson.Serialize(form), visibleTo: interaction.Actor.UserId, cancellationToken);

    internal async Task<ConversationEntry> AddAsync(string conversation, EntryKind kind, string body, string? visibleTo, CancellationToken ct,
        string? authorKey = null)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var now = clock.GetUtcNow();
        var entry = new ConversationEntry
        {
            Channel = ChannelKind,
            ConversationId = conversation,
            Kind = kind,
            AuthorKey = authorKey,
            VisibleTo = visibleTo,
            Body = body,
            FormState = kind == EntryKind.Form ? FormState.Open : null,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.ConversationEntries.Add(entry);
        await db.SaveChangesAsync(ct);
        return entry;
    }

    private static MessageRef Ref(ConversationEntry entry) =>
        new(ChannelKind, entry.ConversationId, entry.Id.ToString(CultureInfo.InvariantCulture));
}
