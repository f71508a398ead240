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
public sealed class DirectoryCache(IServiceScopeFactory scopes)
{
    private volatile Snapshot? _snapshot;

    public sealed class Snapshot(IReadOnlyList<Person> people, IReadOnlyList<Team> teams, IReadOnlyList<Service> services)
    {
        public IReadOnlyList<Person> People { get; } = people;
        public IReadOnlyList<Team> Teams { get; } = teams;
        public IReadOnlyList<Service> Services { get; } = services;

        private readonly FrozenDictionary<string, Person> _byKey = people.ToFrozenDictionary(p => p.Key);
        private readonly FrozenDictionary<string, Person> _bySlack = people.Where(p => p.SlackUserId is not null).ToFrozenDictionary(p => p.SlackUserId!);
        private readonly FrozenDictionary<string, Person> _byTeams = people.Where(p => p.TeamsAadObjectId is not null).ToFrozenDictionary(p => p.TeamsAadObjectId!);

        public Person? Find(string channel, string userId) => channel switch
        {
            "slack" => _bySlack.GetValueOrDefault(userId),
            "teams" => _byTeams.GetValueOrDefault(userId),
            _ => _byKey.GetValueOrDefault(userId),
        };
    }

    public async ValueTask<Snapshot> GetAsync(CancellationToken ct)
    {
        if (_snapshot is { } current) return current;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var loaded = new Snapshot(
            await db.People.AsNoTracking().OrderBy(p => p.Name).ToListAsync(ct),
            await db.Teams.AsNoTracking().OrderBy(t => t.Name).ToListAsync(ct),
            await db.Services.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct));
        _snapshot = loaded;
        return loaded;
    }

    /// <summary>The person behind a platform user id; a miss is checked against the database before it counts.</summary>
    public async ValueTask<Person?> FindAsync(BotDbContext db, string channel, string userId, CancellationToken ct)
    {
        if ((await GetAsync(ct)).Find(channel, userId) is { } person) return person;
        var stored = await db.FindAsync(channel, userId, ct);
        if (stored is not null) Invalidate();
        return stored;
    }

    public void Invalidate() => _snapshot = null;
}
