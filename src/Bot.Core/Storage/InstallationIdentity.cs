using Bot.Core.Features.Incidents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Storage;

/// <summary>
/// A random id made once per database and kept in it. Idempotency tokens sent to other systems carry it, so two
/// installations (staging and production in one AWS account, or a database started afresh) never share a token
/// for "escalation 1".
/// </summary>
public sealed class InstallationIdentity(IServiceScopeFactory scopes, TimeProvider clock)
{
    public const string CursorName = "installation-id";
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _values = new(StringComparer.Ordinal);

    public Task<string> IdAsync(CancellationToken ct) => GetOrMakeAsync(CursorName, () => Guid.NewGuid().ToString("N"), ct);

    /// <summary>A random 256-bit key of this installation (hex), made once, e.g. for signing links.</summary>
    public Task<string> SecretAsync(string name, CancellationToken ct) =>
        GetOrMakeAsync("secret:" + name, () => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), ct);

    private async Task<string> GetOrMakeAsync(string name, Func<string> make, CancellationToken ct)
    {
        if (_values.TryGetValue(name, out var known)) return known;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        for (var attempt = 1; ; attempt++)
        {
            var stored = await db.SyncCursors.AsNoTracking().Where(c => c.Name == name).Select(c => c.Value).FirstOrDefaultAsync(ct);
            if (stored is not null) return _values[name] = stored;
            db.SyncCursors.Add(new SyncCursor { Name = name, Value = make(), UpdatedAt = clock.GetUtcNow() });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Another host made it at the same moment: read theirs.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>An idempotency token for one effect of this installation, e.g. <c>("escalation", 12, "start")</c>; at most 64 characters.</summary>
    public async Task<string> TokenAsync(string subject, long id, string effect, CancellationToken ct) =>
        $"{await IdAsync(ct)}-{subject}-{id.ToString(System.Globalization.CultureInfo.InvariantCulture)}-{effect}";
}
