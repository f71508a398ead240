using System.Collections.Frozen;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Directory;

/// <summary>
/// A read-only snapshot of the directory, so the hot path of a chat request (who is this, which services exist)
/// does not query the database. The database stays the truth: the snapshot is reloaded after seeding and after a
/// miss that the database can answer (an id learned by another host).
/// </summary>
public sealed class DirectoryCache(IServiceScopeFactory scopes, IEnumerable<IdentityAlias> aliases)
{
    private volatile Snapshot? _snapshot;

    /// <summary>Channel kinds whose users are known by an identity; users of other kinds (the playground) are person keys.</summary>
    private readonly FrozenSet<string> _identityKinds = aliases.Select(a => a.ChannelKind).ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public sealed class Snapshot(IReadOnlyList<Person> people, IReadOnlyList<Team> teams, IReadOnlyList<Service> services, FrozenSet<string> identityKinds)
    {
        public IReadOnlyList<Person> People { get; } = people;
        public IReadOnlyList<Team> Teams { get; } = teams;
        public IReadOnlyList<Service> Services { get; } = services;

        private readonly FrozenDictionary<string, Person> _byKey = people.ToFrozenDictionary(p => p.Key);
        private readonly FrozenDictionary<(string, string), Person> _byIdentity = people
            .SelectMany(p => p.Identities.Select(i => (Id: (i.Channel.ToLowerInvariant(), i.UserId), Person: p)))
            .DistinctBy(x => x.Id).ToFrozenDictionary(x => x.Id, x => x.Person);

        private readonly FrozenSet<string> _identityKinds = identityKinds.Union(people.SelectMany(p => p.Identities).Select(i => i.Channel))
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase);

        /// <summary>Whether the channel's users are known by an identity; otherwise their user id is the person key.</summary>
        public bool ByIdentity(string channel) => _identityKinds.Contains(channel);

        public Person? Find(string channel, string userId) => ByIdentity(channel)
            ? _byIdentity.GetValueOrDefault((channel.ToLowerInvariant(), userId))
            : _byKey.GetValueOrDefault(userId);
    }

    public async ValueTask<Snapshot> GetAsync(CancellationToken ct)
    {
        if (_snapshot is { } current) return current;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var loaded = new Snapshot(
            await db.People.AsNoTracking().OrderBy(p => p.Name).ToListAsync(ct),
            await db.Teams.AsNoTracking().OrderBy(t => t.Name).ToListAsync(ct),
            await db.Services.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct),
            _identityKinds);
        _snapshot = loaded;
        return loaded;
    }

    /// <summary>The person behind a channel's user id; a miss is checked against the database before it counts.</summary>
    public async ValueTask<Person?> FindAsync(BotDbContext db, string channel, string userId, CancellationToken ct)
    {
        var snapshot = await GetAsync(ct);
        if (snapshot.Find(channel, userId) is { } person) return person;
        var kind = channel.ToLowerInvariant();
        var stored = snapshot.ByIdentity(channel)
            ? await db.People.FirstOrDefaultAsync(p => p.Identities.Any(i => i.Channel == kind && i.UserId == userId), ct)
            : await db.People.FirstOrDefaultAsync(p => p.Key == userId, ct);
        if (stored is not null) Invalidate();
        return stored;
    }

    /// <summary>A person picked in a form: their directory key, or their user id in the channel (a platform's own people picker).</summary>
    public async ValueTask<Person?> PickedAsync(BotDbContext db, string channel, string? value, CancellationToken ct) =>
        value is null ? null : (await GetAsync(ct)).People.FirstOrDefault(p => p.Key == value) ?? await FindAsync(db, channel, value, ct);

    public void Invalidate() => _snapshot = null;
}
