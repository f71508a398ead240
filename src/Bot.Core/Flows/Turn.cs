using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Storage;

namespace Bot.Core.Flows;

/// <summary>One unit of work for a flow: who did what where, the channel to answer through, and the state to load and save once.</summary>
public sealed class Turn(Interaction interaction, Person? person, IChatChannel channel, BotDbContext db, TimeProvider clock)
{
    public Interaction Interaction { get; } = interaction;
    public Actor Actor => Interaction.Actor;

    /// <summary>The directory person behind the actor; null for someone not in the directory (they can still escalate).</summary>
    public Person? Person { get; } = person;
    public IChatChannel Channel { get; } = channel;
    public BotDbContext Db { get; } = db;
    public DateTimeOffset Now { get; } = clock.GetUtcNow();

    public string ActorName => Person?.Name ?? Actor.DisplayName;

    public Task ReplyPrivatelyAsync(Message message, CancellationToken ct) =>
        Channel.ReplyPrivatelyAsync(Interaction.Where, Actor.UserId, message, ct);

    public Task OpenFormAsync(Form form, CancellationToken ct) => Channel.OpenFormAsync(Interaction, form, ct);

    /// <summary>
    /// Whether the actor is in the directory; if not, they are told so. Decisions recorded as someone's (acknowledging,
    /// resolving, taking an incident) are for people the bot knows: whoever is in a channel (a guest, someone from
    /// another workspace or tenant) is not necessarily someone the team answers to.
    /// </summary>
    public async Task<bool> KnownPersonAsync(string? meanwhile, CancellationToken ct)
    {
        if (Person is not null) return true;
        await ReplyPrivatelyAsync(Message.Text("You are not in the bot's directory yet, so I can't record that as yours. Ask whoever runs the bot to add you." +
                                               (meanwhile is null ? "" : " Meanwhile " + meanwhile)), ct);
        return false;
    }
}
