using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bot.Core.Directory;

/// <summary>Makes the stored directory match configuration; running it again changes nothing.</summary>
public sealed class DirectorySeeder(BotDbContext db, IOptions<DirectoryOptions> options, DirectoryCache cache)
{
    public async Task SeedAsync(CancellationToken ct)
    {
        var config = options.Value;
        var people = await db.People.ToDictionaryAsync(p => p.Key, ct);
        foreach (var p in config.People)
        {
            if (!people.Remove(p.Key, out var row)) db.People.Add(row = new Person { Key = p.Key });
            row.Name = p.Name;
            row.Email = p.Email;
            row.TimeZone = p.TimeZone;
            // Identities learned by matching email are kept unless configuration names one for that channel.
            foreach (var (channel, userId) in p.Identities)
            {
                if (!string.IsNullOrWhiteSpace(userId) && row.IdentityOn(channel) != userId.Trim()) row.SetIdentity(channel, userId.Trim());
            }
        }
        db.People.RemoveRange(people.Values);

        var teams = await db.Teams.ToDictionaryAsync(t => t.Key, ct);
        var services = await db.Services.ToDictionaryAsync(s => s.Key, ct);
        foreach (var t in config.Teams)
        {
            var wanted = t.ToTeam();
            if (!teams.Remove(t.Key, out var row)) db.Teams.Add(row = new Team { Key = t.Key });
            row.Name = wanted.Name;
            row.TimeZone = wanted.TimeZone;
            row.Members = wanted.Members;
            row.Managers = wanted.Managers;
            row.Channels = wanted.Channels;
            row.OnCall = wanted.OnCall;

            foreach (var s in t.Services)
            {
                if (!services.Remove(s.Key, out var svc)) db.Services.Add(svc = new Service { Key = s.Key });
                svc.Name = string.IsNullOrWhiteSpace(s.Name) ? s.Key : s.Name;
                svc.TeamKey = t.Key;
            }
        }
        db.Teams.RemoveRange(teams.Values);
        db.Services.RemoveRange(services.Values);
        await db.SaveChangesAsync(ct);
        cache.Invalidate();
    }
}
