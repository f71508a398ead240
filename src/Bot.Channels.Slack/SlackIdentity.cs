using Bot.Core.Directory;
using Bot.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Bot.Channels.Slack;

/// <summary>
/// Links a Slack user to a directory person by the email Slack reports for them (users.info); see <see cref="IdentityLinker"/>.
/// Only users of the bot's own workspace are linked: a Slack Connect user from another organisation could otherwise
/// claim an address of ours.
/// </summary>
public sealed partial class SlackIdentity(BotDbContext db, SlackApiClient api, IdentityLinker linker, SlackWorkspace workspace, ILogger<SlackIdentity> logger)
{
    public Task EnsureLinkedAsync(string userId, CancellationToken ct) =>
        linker.EnsureLinkedAsync(db, SlackChannel.ChannelKind, userId, async c =>
        {
            try
            {
                var user = await api.UserInfoAsync(userId, c);
                var home = await workspace.TeamIdAsync(api, c);
                if (home is null || user.Str("team_id") != home)
                {
                    LogOtherWorkspace(logger, userId, user.Str("team_id") ?? "unknown");
                    return [];
                }
                return user.Str("profile", "email") is { } email ? [email] : [];
            }
            catch (Exception e) when (SlackPermanentException.CodeOf(e) is { } code)
            {
                // Without users:read.email (missing_scope) the person still gets answers, just not as themselves.
                LogLookupFailed(logger, userId, code);
                return [];
            }
        }, ct);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack user {SlackUserId} belongs to workspace {Workspace}, not the bot's: not linked by email")]
    private static partial void LogOtherWorkspace(ILogger logger, string slackUserId, string workspace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look up Slack user {SlackUserId}: {Error}")]
    private static partial void LogLookupFailed(ILogger logger, string slackUserId, string error);
}

/// <summary>The bot's own Slack workspace, asked once (<c>auth.test</c>) and kept.</summary>
public sealed class SlackWorkspace
{
    private string? _teamId;

    public async Task<string?> TeamIdAsync(SlackApiClient api, CancellationToken ct) => _teamId ??= await api.AuthTestTeamAsync(ct);
}
