using Bot.Core.Directory;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;

namespace Bot.Channels.Teams;

/// <summary>
/// Links a Teams user to a directory person: by the configured AAD object id, else by the email or UPN Teams
/// reports for the member. A match is stored on the person, so it is looked up once; a miss is remembered a while.
/// </summary>
public sealed partial class TeamsIdentity(BotDbContext db, ConnectorClient connector, DirectoryCache directory, IMemoryCache misses, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<TeamsOptions> options, ILogger<TeamsIdentity> logger)
{
    private static readonly TimeSpan RememberMiss = TimeSpan.FromMinutes(10);

    public async Task EnsureLinkedAsync(TeamsActivity a, CancellationToken ct)
    {
        if (a.FromAadObjectId is not { } aad || a.FromId is not { } memberId || a.ConversationId is not { } conversation || a.ServiceUrl is not { } serviceUrl) return;
        if (misses.TryGetValue(MissKey(aad), out _)) return;
        if (await directory.FindAsync(db, TeamsChannel.ChannelKind, aad, ct) is not null) return;
        // An email is only as good as the tenant that vouches for it: link only within the tenants the bot serves.
        if (options.Value.Tenants.Count == 0 || !options.Value.AcceptsTenant(a.TenantId)) return;
        try
        {
            // Members are looked up in the team (or the chat), never in a channel thread, which Teams does not know as a conversation.
            var member = await connector.GetMemberAsync(new Uri(serviceUrl), a.TeamId ?? a.BaseConversationId ?? conversation, memberId, ct);
            if (member.At("tenantId") is { } memberTenant && !options.Value.AcceptsTenant(memberTenant)) return;
            var addresses = new[] { member.At("userPrincipalName"), member.At("email") }.OfType<string>().Select(e => e.ToLowerInvariant()).Distinct().ToArray();
            Person? person = null;
            foreach (var address in addresses)
            {
                person ??= await db.People.FirstOrDefaultAsync(p => p.Email != null && p.Email.ToLower() == address && p.TeamsAadObjectId == null, ct);
            }
            if (person is null)
            {
                misses.Set(MissKey(aad), true, clock.GetUtcNow() + RememberMiss);
                return;
            }
            person.TeamsAadObjectId = aad;
            await db.SaveChangesAsync(ct);
            directory.Invalidate();
            LogLinked(logger, aad, person.Key);
        }
        catch (Exception e) when (e is HttpRequestException or ConversationUnavailableException or InvalidOperationException)
        {
            // The person still gets answers, just not as themselves.
            LogLookupFailed(logger, aad, e.Message);
            misses.Set(MissKey(aad), true, clock.GetUtcNow() + RememberMiss);
        }
    }

    private static string MissKey(string aad) => "teams-identity-miss:" + aad;

    [LoggerMessage(Level = LogLevel.Information, Message = "Linked Teams user {AadObjectId} to directory person {PersonKey} by email")]
    private static partial void LogLinked(ILogger logger, string aadObjectId, string personKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look up Teams user {AadObjectId}: {Error}")]
    private static partial void LogLookupFailed(ILogger logger, string aadObjectId, string error);
}
