using System.Collections.Concurrent;
using Bot.Core.Conversation;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Channels.Teams;

/// <summary>
/// Where Teams conversations and users can be reached later: the service URL and tenant each activity arrived
/// with (so only from validated tokens), the team, and the 1:1 conversation with each user. Stored in the
/// database; a copy in memory means an activity from a known place writes nothing.
/// </summary>
public sealed class TeamsAddresses(IServiceScopeFactory scopes, TimeProvider clock)
{
    private const string Kind = TeamsChannel.ChannelKind;
    private readonly ConcurrentDictionary<string, StoredConversation> _conversations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StoredUser> _users = new(StringComparer.Ordinal);

    public sealed record Route(Uri ServiceUrl, string? TenantId, ConversationKind Kind);

    /// <summary>Remembers the conversation and the user of an activity; writes only what changed.</summary>
    public async Task RememberAsync(TeamsActivity a, CancellationToken ct)
    {
        if (a.BaseConversationId is not { } id || a.ServiceUrl is not { } serviceUrl) return;
        if (!_conversations.TryGetValue(id, out var known) || known.ServiceUrl != serviceUrl || known.TenantId != a.TenantId || !known.Active)
            await SaveConversationAsync(a, id, serviceUrl, activate: false, ct);

        if (a.UserId is not { } userId || a.FromId is null) return;
        var direct = a.Kind == ConversationKind.Direct ? a.ConversationId : null;
        if (_users.TryGetValue(userId, out var user) && user.ServiceUrl == serviceUrl && user.PlatformId == a.FromId
            && (direct is null || user.DirectConversationId == direct)) return;
        await WithDbAsync(async db =>
        {
            var row = await db.StoredUsers.FindAsync([Kind, userId], ct);
            if (row is null) db.StoredUsers.Add(row = new StoredUser { Channel = Kind, UserId = userId });
            row.PlatformId = Plain.Cut(a.FromId, 200);
            row.Name = Plain.Cut(a.FromName, 200);
            row.ServiceUrl = Plain.Cut(serviceUrl, 500);
            row.TenantId = Plain.Cut(a.TenantId, 64) ?? row.TenantId;
            row.DirectConversationId = Plain.Cut(direct, 300) ?? row.DirectConversationId;
            row.UpdatedAt = clock.GetUtcNow();
            await SaveRacingAsync(db, ct);
            _users[userId] = Copy(row);
            return 0;
        });
    }

    /// <summary>The bot was added to the conversation; true when that is news (a new or a re-activated address), so it should greet.</summary>
    public Task<bool> ActivateAsync(TeamsActivity a, CancellationToken ct) =>
        a.BaseConversationId is { } id && a.ServiceUrl is { } serviceUrl
            ? SaveConversationAsync(a, id, serviceUrl, activate: true, ct)
            : Task.FromResult(false);

    public Task DeactivateAsync(string conversationId, CancellationToken ct) => SetStateAsync(conversationId, active: false, unavailable: null, ct);

    /// <summary>Teams refused a send for good (403/404): recorded on the address (created if the bot only knew it from the directory).</summary>
    public Task MarkUnavailableAsync(string conversationId, Uri serviceUrl, string reason, CancellationToken ct) =>
        SetStateAsync(conversationId, active: null, reason, ct, serviceUrl);

    /// <summary>Where to send to a conversation: its own service URL, else that of its team or of the conversation seen last.</summary>
    public async Task<(Route? Route, StoredConversation? Stored)> RouteAsync(string conversationId, CancellationToken ct)
    {
        var id = TeamsActivity.Base(conversationId);
        // Only a usable address is taken from memory. One this host saw removed or refused may have been re-added
        // through another host since: the database has the last word before a conversation is treated as gone.
        var stored = _conversations.TryGetValue(id, out var cached) && cached is { Active: true, Unavailable: null } ? cached : await WithDbAsync(async db =>
        {
            var row = await db.StoredConversations.AsNoTracking().FirstOrDefaultAsync(c => c.Channel == Kind && c.ConversationId == id, ct);
            if (row is not null) _conversations.AddOrUpdate(id, row, (_, known) => known.UpdatedAt > row.UpdatedAt ? known : row);
            return row;
        });
        if (stored?.ServiceUrl is { } url) return (new Route(new Uri(url), stored.TenantId, stored.Kind), stored);

        // A channel of a team the bot is in, never seen itself (the directory names it): the team shares one service URL.
        var latest = await WithDbAsync(db => db.StoredConversations.AsNoTracking()
            .Where(c => c.Channel == Kind && c.Active && c.Unavailable == null && c.ServiceUrl != null && c.TenantId != null)
            .OrderByDescending(c => c.UpdatedAt).FirstOrDefaultAsync(ct));
        return latest is null
            ? (null, null)
            : (new Route(new Uri(latest.ServiceUrl!), latest.TenantId, id.StartsWith("a:", StringComparison.Ordinal) ? ConversationKind.Direct : ConversationKind.Channel), null);
    }

    public async Task<StoredUser?> UserAsync(string userId, CancellationToken ct)
    {
        if (_users.TryGetValue(userId, out var cached)) return cached;
        var row = await WithDbAsync(db => db.StoredUsers.AsNoTracking().FirstOrDefaultAsync(u => u.Channel == Kind && u.UserId == userId, ct));
        if (row is not null) _users.TryAdd(userId, row);
        return row;
    }

    public Task RememberDirectConversationAsync(string userId, string? platformId, Uri serviceUrl, string? tenantId, string conversationId, CancellationToken ct) =>
        WithDbAsync(async db =>
        {
            var row = await db.StoredUsers.FindAsync([Kind, userId], ct);
            if (row is null) db.StoredUsers.Add(row = new StoredUser { Channel = Kind, UserId = userId, PlatformId = platformId });
            row.ServiceUrl ??= serviceUrl.AbsoluteUri;
            row.TenantId ??= tenantId;
            row.DirectConversationId = conversationId;
            row.UpdatedAt = clock.GetUtcNow();
            await SaveRacingAsync(db, ct);
            _users[userId] = Copy(row);
            return 0;
        });

    private async Task<bool> SaveConversationAsync(TeamsActivity a, string id, string serviceUrl, bool activate, CancellationToken ct) =>
        await WithDbAsync(async db =>
        {
            var row = await db.StoredConversations.FindAsync([Kind, id], ct);
            var news = row is null;
            if (row is null) db.StoredConversations.Add(row = new StoredConversation { Channel = Kind, ConversationId = id });
            else if (!activate && !row.Active) return false; // a message from a conversation the bot left: do not resurrect it
            else if (activate && !row.Active)
            {
                // Teams sends conversationUpdate and installationUpdate for one install: only the one that flips the row greets.
                news = await db.StoredConversations.Where(c => c.Channel == Kind && c.ConversationId == id && !c.Active)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.Active, true).SetProperty(c => c.Unavailable, (string?)null), ct) == 1;
            }
            row.Kind = a.Kind;
            row.ServiceUrl = Plain.Cut(serviceUrl, 500);
            row.TenantId = Plain.Cut(a.TenantId, 64) ?? row.TenantId;
            row.TeamId = Plain.Cut(a.TeamId, 300) ?? row.TeamId;
            row.Name = Plain.Cut(a.TeamName, 200) ?? row.Name;
            row.UpdatedAt = clock.GetUtcNow();
            if (activate)
            {
                row.Active = true;
                row.Unavailable = null;
            }
            var saved = await SaveRacingAsync(db, ct);
            _conversations[id] = Copy(row);
            return news && saved;
        });

    private Task SetStateAsync(string conversationId, bool? active, string? unavailable, CancellationToken ct, Uri? serviceUrl = null) =>
        WithDbAsync(async db =>
        {
            var id = TeamsActivity.Base(conversationId);
            var row = await db.StoredConversations.FindAsync([Kind, id], ct);
            if (row is null && serviceUrl is null) return 0;
            if (row is null)
            {
                db.StoredConversations.Add(row = new StoredConversation
                {
                    Channel = Kind, ConversationId = id, ServiceUrl = serviceUrl!.AbsoluteUri,
                    Kind = id.StartsWith("a:", StringComparison.Ordinal) ? ConversationKind.Direct : ConversationKind.Channel,
                });
            }
            if (active is { } a) row.Active = a;
            if (unavailable is not null) row.Unavailable = Plain.Cut(unavailable, 200);
            row.UpdatedAt = clock.GetUtcNow();
            await SaveRacingAsync(db, ct);
            _conversations[id] = Copy(row);
            return 0;
        });

    /// <summary>Two activities from a new place may race to insert it; the loser's copy is the same, so losing is fine.</summary>
    private static async Task<bool> SaveRacingAsync(BotDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    private async Task<T> WithDbAsync<T>(Func<BotDbContext, Task<T>> work)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<BotDbContext>());
    }

    /// <summary>Teams allows longer names than the columns keep; what does not fit is cut rather than losing the address.</summary>

    private static StoredConversation Copy(StoredConversation c) => new()
    {
        Channel = c.Channel, ConversationId = c.ConversationId, Kind = c.Kind, ServiceUrl = c.ServiceUrl, TenantId = c.TenantId,
        TeamId = c.TeamId, Name = c.Name, Active = c.Active, Unavailable = c.Unavailable, UpdatedAt = c.UpdatedAt,
    };

    private static StoredUser Copy(StoredUser u) => new()
    {
        Channel = u.Channel, UserId = u.UserId, PlatformId = u.PlatformId, Name = u.Name, ServiceUrl = u.ServiceUrl, TenantId = u.TenantId,
        DirectConversationId = u.DirectConversationId, UpdatedAt = u.UpdatedAt,
    };
}
