using System.IO.Hashing;
using System.Text.Json;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Core.Directory;

/// <summary>
/// Makes the stored directory match configuration; running it again changes nothing. Only a directory newer than
/// the stored one is written: during a rolling deploy, an old host that restarts must not put the old directory back.
/// </summary>
public sealed partial class DirectorySeeder(BotDbContext db, IOptions<DirectoryOptions> options, DirectoryCache cache, TimeProvider clock,
    ILogger<DirectorySeeder> logger)
{
    /// <summary>Seeds the configured directory unless a newer one is stored; false when it stepped back (and said why in the log).</summary>
    public async Task<bool> SeedAsync(CancellationToken ct)
    {
        var config = options.Value;
        var hash = HashOf(config);
        // The usual restart: this directory, at this revision, is the one stored, so nothing is written.
        if (IsCurrent(await db.DirectoryVersions.AsNoTracking().ToListAsync(ct))) return true;

        // Hosts starting together (a rolling deploy) take turns: each decides on what the one before it stored, so an
        // older directory never lands after a newer one, and two hosts never insert the same people.
        await using var tx = await db.BeginExclusiveAsync(SeedingSection, ct);
        var versions = await db.DirectoryVersions.AsNoTracking().ToListAsync(ct);
        if (IsCurrent(versions)) return true;
        var current = versions.SingleOrDefault(v => v.SeededAt is not null);
        if (current is not null && current.Hash != hash)
        {
            // A configured revision decides; without one, a directory seeded before is older than the one seeded since.
            // A hash of another length was recorded by a release that hashed with SHA-256: at the same revision it
            // says nothing about the content, so this directory is seeded again.
            var older = config.Revision is { } mine && current.Revision is { } stored
                ? mine < stored || (mine == stored && current.Hash.Length == hash.Length)
                : versions.Any(v => v.Hash == hash);
            if (older)
            {
                LogSkipped(logger, hash[..12], config.Revision?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none",
                    current.Hash[..12], current.Revision?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none");
                return false;
            }
        }
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

        // One current version: the one seeded last (the others keep only when they were first seen).
        var now = clock.GetUtcNow().ToUniversalTime();
        var version = await db.DirectoryVersions.FindAsync([hash], ct);
        if (version is null) db.DirectoryVersions.Add(version = new DirectoryVersion { Hash = hash, FirstSeenAt = now });
        version.Revision = config.Revision;
        version.SeededAt = now;
        await db.DirectoryVersions.Where(v => v.Hash != hash && v.SeededAt != null).ExecuteUpdateAsync(x => x.SetProperty(v => v.SeededAt, (DateTimeOffset?)null), ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        cache.Invalidate();
        return true;

        bool IsCurrent(List<DirectoryVersion> stored) => stored.Any(v => v.SeededAt is not null && v.Hash == hash && v.Revision == config.Revision);
    }

    /// <summary>The advisory lock's key for seeding (PostgreSQL); any number no other section uses.</summary>
    private const long SeedingSection = 0x0b07_5c4e_3a00_0002;

    /// <summary>
    /// What the seeder writes, hashed: the same directory gives the same hash on every host. XxHash128 tells changed
    /// content apart (configuration is not an adversary) without loading OpenSSL, which a host that serves plain HTTP
    /// would otherwise map (about 5 MB) for this one hash at start.
    /// </summary>
    public static string HashOf(DirectoryOptions config) =>
        Convert.ToHexStringLower(XxHash128.Hash(JsonSerializer.SerializeToUtf8Bytes(new { config.People, config.Teams })));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Directory not seeded: this host's directory ({Hash}, revision {Revision}) is older than the stored one ({StoredHash}, revision {StoredRevision}). Raise Directory:Revision to make a directory win.")]
    private static partial void LogSkipped(ILogger logger, string hash, string revision, string storedHash, string storedRevision);
}

/// <summary>A directory some host seeded: its content hash, its configured revision, when it was first seen, and when it was seeded if it is the current one.</summary>
public sealed class DirectoryVersion
{
    public string Hash { get; set; } = "";
    public long? Revision { get; set; }
    public DateTimeOffset FirstSeenAt { get; set; }
    public DateTimeOffset? SeededAt { get; set; }
}

public sealed class DirectoryVersionConfiguration : IEntityTypeConfiguration<DirectoryVersion>
{
    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<DirectoryVersion> e)
    {
        e.ToTable("DirectoryVersions");
        e.HasKey(v => v.Hash);
        e.Property(v => v.Hash).HasMaxLength(64);
    }
}
