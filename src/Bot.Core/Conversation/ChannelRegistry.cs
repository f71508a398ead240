namespace Bot.Core.Conversation;

/// <summary>The channels this host runs, by kind; reminders use it to answer in the channel a conversation started in.</summary>
public sealed class ChannelRegistry(IEnumerable<IChatChannel> channels)
{
    private readonly Dictionary<string, IChatChannel> _byKind =
        channels.ToDictionary(c => c.Kind, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Kinds => _byKind.Keys;

    /// <summary>The channels connected to their platform, for posts nobody asked for in a conversation (an incident's card).</summary>
    public IEnumerable<IChatChannel> Enabled => _byKind.Values.Where(c => c.Enabled);

    public IChatChannel? Find(string kind) => _byKind.GetValueOrDefault(kind);

    public IChatChannel Get(string kind) =>
        Find(kind) ?? throw new InvalidOperationException($"Channel '{kind}' is not enabled on this host.");
}
