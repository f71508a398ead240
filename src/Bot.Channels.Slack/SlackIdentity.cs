using Bot.Core.Directory;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;

namespace Bot.Channels.Slack;

/// <summary>
/// Links a Slack user to a directory person: by the configured Slack user id, else by the email Slack reports
/// (users.info). A match is stored on the person, so it is looked up once; a miss is remembered for a while.
/// </summary>
public sealed partial class SlackIdentity(BotDbContext db, SlackApiClient api, DirectoryCache directory, IMemoryCache misses, TimeProvider clock,
    ILogger<SlackIdentity> logger)
{
    private static readonly TimeSpan RememberMiss = TimeSpan.FromMinutes(10);

    public async Task EnsureLinkedAsync(string userId, CancellationToken ct)
    {
        if (misses.TryGetValue(MissKey(userId), out _)) return;
        if (await directory.FindAsync(db, SlackChannel.ChannelKind, userId, ct) is not null) return;
        try
        {
            var email = (await api.UserInfoAsync(userId, ct)).Str("profile", "email");
            var person = email is null ? null : await db.People.FirstOrDefaultAsync(p => p.Email != null && p.Email.ToLower() == email.ToLower() && p.SlackUserId == null, ct);
            if (person is null)
            {
                misses.Set(MissKey(userId), true, clock.GetUtcNow() + RememberMiss);
                return;
            }
            person.SlackUserId = userId;
            await db.SaveChangesAsync(ct);
            directory.Invalidate();
            LogLinked(logger, userId, person.Key);
        }
        catch (SlackApiException e)
        {
            // Without users:read.email the person still gets answers, just not as themselves.
            LogLookupFailed(logger, userId, e.Error);
            misses.Set(MissKey(userId), true, clock.GetUtcNow() + RememberMiss);
        }
    }

    private static string MissKey(string userId) => "slack-identity-miss:" + userId;

    [LoggerMessage(Level = LogLevel.Information, Message = "Linked Slack user {SlackUserId} to directory person {PersonKey} by email")]
    private static partial void LogLinked(ILogger logger, string slackUserId, string personKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look up Slack user {SlackUserId}: {Error}")]
    private static partial void LogLookupFailed(ILogger logger, string slackUserId, string error);
}
