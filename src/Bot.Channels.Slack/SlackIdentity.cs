using Bot.Core.Directory;
using Bot.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Bot.Channels.Slack;

/// <summary>Links a Slack user to a directory person by the email Slack reports for them (users.info); see <see cref="IdentityLinker"/>.</summary>
public sealed partial class SlackIdentity(BotDbContext db, SlackApiClient api, IdentityLinker linker, ILogger<SlackIdentity> logger)
{
    public Task EnsureLinkedAsync(string userId, CancellationToken ct) =>
        linker.EnsureLinkedAsync(db, SlackChannel.ChannelKind, userId, async c =>
        {
            try
            {
                return (await api.UserInfoAsync(userId, c)).Str("profile", "email") is { } email ? [email] : [];
            }
            catch (SlackApiException e)
            {
                // Without users:read.email the person still gets answers, just not as themselves.
                LogLookupFailed(logger, userId, e.Error);
                return [];
            }
        }, ct);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look up Slack user {SlackUserId}: {Error}")]
    private static partial void LogLookupFailed(ILogger logger, string slackUserId, string error);
}
