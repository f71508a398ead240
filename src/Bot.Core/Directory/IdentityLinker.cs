using System.Collections.Concurrent;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Directory;

/// <summary>
/// Links a channel's user to a directory person by email, for any channel: the channel says which addresses the
/// platform vouches for, and the first person with one of them and no identity in that channel yet is linked. The
/// link is stored, so it is looked up once; a miss is remembered for a while, so the platform is not asked every time.
/// </summary>
public sealed partial class IdentityLinker(DirectoryCache directory, TimeProvider clock, ILogger<IdentityLinker> logger)
{
    private static readonly TimeSpan RememberMiss = TimeSpan.FromMinutes(10);
    private const int MissesKept = 10_000;
    private readonly ConcurrentDictionary<(string, string), DateTimeOffset> _misses = new();

    /// <param name="emails">The addresses the platform reports for the user; empty when it could not tell.</param>
    public async Task EnsureLinkedAsync(BotDbContext db, string channel, string userId, Func<CancellationToken, Task<IReadOnlyList<string>>> emails,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_misses.TryGetValue((channel, userId), out var until) && until > now) return;
        if (await directory.FindAsync(db, channel, userId, ct) is not null) return;

        var kind = channel.ToLowerInvariant();
        Person? person = null;
        foreach (var address in (await emails(ct)).Select(e => e.Trim().ToLowerInvariant()).Where(e => e.Length > 0).Distinct())
        {
            person ??= await db.People.FirstOrDefaultAsync(p => p.Email != null && p.Email.ToLower() == address && !p.Identities.Any(i => i.Channel == kind), ct);
        }
        if (person is null)
        {
            if (_misses.Count >= MissesKept) _misses.Clear();
            _misses[(channel, userId)] = now + RememberMiss;
            return;
        }
        person.SetIdentity(kind, userId);
        await db.SaveChangesAsync(ct);
        directory.Invalidate();
        LogLinked(logger, channel, userId, person.Key);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Linked {Channel} user {UserId} to directory person {PersonKey} by email")]
    private static partial void LogLinked(ILogger logger, string channel, string userId, string personKey);
}
