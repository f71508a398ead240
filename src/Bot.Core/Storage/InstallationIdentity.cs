using Bot.Core.Incidents;
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
    private string? _id;

    public async Task<string> IdAsync(CancellationToken ct)
    {
        if (_id is not null) return _id;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        for (var attempt = 1; ; attempt++)
        {
            var stored = await db.SyncCursors.AsNoTracking().Where(c => c.Name == CursorName).Select(c => c.Value).FirstOrDefaultAsync(ct);
            if (stored is not null) return _id = stored;
            db.SyncCursors.Add(new SyncCursor { Name = CursorName, Value = Guid.NewGuid().ToString("N"), UpdatedAt = clock.GetUtcNow() });
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
