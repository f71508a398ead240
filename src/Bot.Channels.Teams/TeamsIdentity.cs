using Bot.Core.Directory;
using Bot.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Bot.Channels.Teams;

/// <summary>
/// Links a Teams user to a directory person by the email or UPN Teams reports for the member, within the tenants the
/// bot serves; see <see cref="IdentityLinker"/>.
/// </summary>
public sealed partial class TeamsIdentity(BotDbContext db, ConnectorClient connector, IdentityLinker linker,
    Microsoft.Extensions.Options.IOptions<TeamsOptions> options, ILogger<TeamsIdentity> logger)
{
    public Task EnsureLinkedAsync(TeamsActivity a, CancellationToken ct)
    {
        if (a.FromAadObjectId is not { } aad || a.FromId is not { } memberId || a.ConversationId is not { } conversation || a.ServiceUrl is not { } serviceUrl)
            return Task.CompletedTask;
        // An email is only as good as the tenant that vouches for it: link only within the tenants the bot serves.
        if (options.Value.Tenants.Count == 0 || !options.Value.AcceptsTenant(a.TenantId)) return Task.CompletedTask;
        return linker.EnsureLinkedAsync(db, TeamsChannel.ChannelKind, aad, async c =>
        {
            try
            {
                // Members are looked up in the team (or the chat), never in a channel thread, which Teams does not know as a conversation.
                var member = await connector.GetMemberAsync(new Uri(serviceUrl), a.TeamId ?? a.BaseConversationId ?? conversation, memberId, c);
                if (member.At("tenantId") is { } memberTenant && !options.Value.AcceptsTenant(memberTenant)) return [];
                return new[] { member.At("userPrincipalName"), member.At("email") }.OfType<string>().ToArray();
            }
            catch (Exception e) when (e is HttpRequestException or ConversationUnavailableException or InvalidOperationException)
            {
                // The person still gets answers, just not as themselves.
                LogLookupFailed(logger, aad, e.Message);
                return [];
            }
        }, ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look up Teams user {AadObjectId}: {Error}")]
    private static partial void LogLookupFailed(ILogger logger, string aadObjectId, string error);
}
