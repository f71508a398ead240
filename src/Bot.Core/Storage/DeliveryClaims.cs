using System.Text;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bot.Core.Storage;

/// <summary>
/// Claims inbound deliveries (a Teams activity id, a Slack event id) in batches: whatever claims are waiting are
/// written by one writer in one transaction (group commit), so a burst of activities costs one database round trip
/// per batch instead of one contended write each. A claim is answered only once its batch is committed, so the
/// guarantee is the same as <see cref="InboundDeliveries.TryClaimDeliveryAsync"/>: true exactly once per key, also
/// across restarts and hosts. Sources never contain '|' (they are constants like "teams-activity").
/// </summary>
public sealed class DeliveryClaims(IServiceScopeFactory scopes, TimeProvider clock) : BackgroundService
{
    private const int MaxBatch = 256;
    private const int MaxKey = 200;

    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    private sealed record Pending(string Source, string Key, TaskCompletionSource<bool> Claimed);

    /// <summary>True the first time (source, key) is claimed; false for a repeat of it.</summary>
    public Task<bool> TryClaimAsync(string source, string key, CancellationToken ct)
    {
        var pending = new Pending(source, Stored(key), new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_pending.Writer.TryWrite(pending)) throw new InvalidOperationException("The delivery claims writer has stopped.");
        return pending.Claimed.Task.WaitAsync(ct);
    }

    /// <summary>Gives a claim back (the work it guarded failed), so the platform's retry is handled.</summary>
    public async Task ReleaseAsync(string source, string key, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BotDbContext>().ReleaseDeliveryAsync(source, Stored(key), ct);
    }

    // Keys are platform ids (a conversation id and an activity id can be long): beyond the column, their hash stands in.
    private static string Stored(string key) =>
        key.Length > MaxKey ? "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(key))) : key;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await _pending.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var next)) batch.Add(next);
                await WriteAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: whatever is still waiting was not claimed, and its platform will deliver it again.
        }
        _pending.Writer.TryComplete();
        foreach (var left in batch) left.Claimed.TrySetCanceled(stoppingToken);
        while (_pending.Reader.TryRead(out var left)) left.Claimed.TrySetCanceled(stoppingToken);
    }

    private async Task WriteAsync(List<Pending> batch, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            var wanted = batch.Select(p => (p.Source, p.Key)).Distinct().ToArray();
            var inserted = await InsertNewAsync(db, wanted, clock.GetUtcNow(), ct);
            // A key twice in one batch: the first waiting claim wins.
            var answered = new HashSet<(string, string)>();
            foreach (var p in batch) p.Claimed.TrySetResult(inserted.Contains((p.Source, p.Key)) && answered.Add((p.Source, p.Key)));
        }
        catch (Exception) when (!ct.IsCancellationRequested && batch.Count > 1)
        {
            // One bad row, or a passing failure, must not fail the claims beside it: each is tried again on its own.
            foreach (var p in batch) await WriteAsync([p], ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            batch[0].Claimed.TrySetException(ex);
        }
    }

    /// <summary>
    /// One statement for the whole batch, the same on SQLite and PostgreSQL: insert what is new, skip what exists
    /// (also when another host inserts it at the same moment), and return what was inserted.
    /// </summary>
    private static async Task<HashSet<(string, string)>> InsertNewAsync(BotDbContext db, (string Source, string Key)[] rows, DateTimeOffset now, CancellationToken ct)
    {
        var entity = db.Model.FindEntityType(typeof(InboundDelivery))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string Column(string name) => "\"" + entity.FindProperty(name)!.GetColumnName(table) + "\"";
        var received = entity.FindProperty(nameof(InboundDelivery.ReceivedAt))!;
        var receivedValue = received.GetTypeMapping().Converter?.ConvertToProvider(now) ?? now;

        var sql = new StringBuilder()
            .Append("INSERT INTO ").Append(entity.GetSchema() is { } schema ? $"\"{schema}\"." : "").Append('"').Append(table.Name).Append("\" (")
            .Append(Column(nameof(InboundDelivery.Source))).Append(", ").Append(Column(nameof(InboundDelivery.Key))).Append(", ").Append(Column(nameof(InboundDelivery.ReceivedAt)))
            .Append(") VALUES ");
        var parameters = new List<object>(rows.Length * 2 + 1) { receivedValue };
        for (var i = 0; i < rows.Length; i++)
        {
            if (i > 0) sql.Append(", ");
            sql.Append("({").Append(parameters.Count).Append("}, {").Append(parameters.Count + 1).Append("}, {0})");
            parameters.Add(rows[i].Source);
            parameters.Add(rows[i].Key);
        }
        sql.Append(" ON CONFLICT DO NOTHING RETURNING ").Append(Column(nameof(InboundDelivery.Source))).Append(" || '|' || ")
            .Append(Column(nameof(InboundDelivery.Key))).Append(" AS \"Value\"");

        var inserted = await db.Database.SqlQueryRaw<string>(sql.ToString(), parameters.ToArray()).ToListAsync(ct);
        return inserted.Select(v => v.IndexOf('|', StringComparison.Ordinal) is var cut and >= 0 ? (v[..cut], v[(cut + 1)..]) : (v, "")).ToHashSet();
    }
}
