using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Storage;

namespace Bot.Core.Flows;

/// <summary>
/// A feature's part of a person's home (Slack's App Home): what is waiting for them there. Channels with a home show
/// every registered section in registration order; text only, as a home is read, not acted on.
/// </summary>
public interface IHomeSection
{
    Task<Message?> RenderAsync(BotDbContext db, Person person, DateTimeOffset now, CancellationToken ct);
}
