using System.Globalization;
using Bot.Core.Features.Incidents;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.IncidentManager;

public sealed record ReconcileResult(int Listed, int Created, int Changed, int Unchanged);

/// <summary>
/// The backstop for the best-effort pushes: lists the incident records created since the last run (with an overlap)
/// and every open one, reads the stored open ones the listing no longer shows as open (they were resolved), and
/// applies them all through the intake, which changes nothing for what a push already delivered.
/// </summary>
public sealed partial class IncidentReconciliation(
    IServiceProvider services, AwsIncidentManager aws, IncidentSignalIntake intake, IServiceScopeFactory scopes, TimeProvider clock,
    IOptions<IncidentManagerOptions> options, ILogger<IncidentReconciliation> logger) : IRecurringJob
{
    public const string CursorName = "incident-manager.reconcile";
    private const int MaxPages = 20;
    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(5);

    public string Id => CursorName;

    public bool Enabled => options.Value.Enabled;

    public RecurringSchedule Schedule => RecurringSchedule.Every(options.Value.ReconcileInterval);

    async Task IRecurringJob.RunAsync(CancellationToken ct) => await RunAsync(ct);

    public async Task<ReconcileResult> RunAsync(CancellationToken ct)
    {
        var started = clock.GetUtcNow();
        DateTimeOffset since;
        List<string> storedOpen;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            var cursor = await db.SyncCursors.AsNoTracking().FirstOrDefaultAsync(c => c.Name == CursorName, ct);
            since = cursor is not null && DateTimeOffset.TryParse(cursor.Value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var last)
                ? last - Overlap
                : started - options.Value.ReconcileLookback;
            storedOpen = await db.Incidents.AsNoTracking()
                .Where(i => i.Source == AwsIncidentManager.SourceName && i.Status == IncidentStatus.Open).Select(i => i.ExternalId).ToListAsync(ct);
        }

        var seen = new Dictionary<string, IncidentRecordSummary>(StringComparer.Ordinal);
        await ListAsync([new Filter("creationTime", new Condition(After: since))], seen, ct);
        await ListAsync([new Filter("status", new Condition(EqualTo: new EqualsCondition(StringValues: ["OPEN"])))], seen, ct);

        // A listing has no last-modified time, so it cannot order itself against what a push stored: a record the bot
        // has not seen is taken from the listing, one that differs from what is stored is read in full.
        Dictionary<string, (string Title, int Impact, IncidentStatus Status)> stored;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var arns = seen.Keys.ToList();
            stored = await scope.ServiceProvider.GetRequiredService<BotDbContext>().Incidents.AsNoTracking()
                .Where(i => i.Source == AwsIncidentManager.SourceName && arns.Contains(i.ExternalId))
                .ToDictionaryAsync(i => i.ExternalId, i => (i.Title, i.Impact, i.Status), StringComparer.Ordinal, ct);
        }
        var reports = new List<IncidentReport>();
        foreach (var summary in seen.Values)
        {
            var listed = await aws.ReportAsync(summary, ct);
            if (!stored.TryGetValue(summary.Arn, out var known)) reports.Add(listed);
            else if (known != (listed.Title, listed.Impact, listed.Status == ReportedStatus.Resolved ? IncidentStatus.Resolved : IncidentStatus.Open))
                reports.Add(await ReadAsync(summary.Arn, ct) ?? listed);
        }
        foreach (var arn in storedOpen.Where(a => !seen.ContainsKey(a)))
        {
            if (await ReadAsync(arn, ct) is { } report) reports.Add(report);
        }

        var unchanged = seen.Count - reports.Count(r => seen.ContainsKey(r.ExternalId));
        int created = 0, changed = 0;
        foreach (var report in reports)
        {
            var (outcome, _) = await intake.ApplyAsync(report, ct);
            if (outcome == IntakeOutcome.Created) created++;
            else if (outcome == IntakeOutcome.Unchanged) unchanged++;
            else changed++;
        }

        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            var value = started.ToString("O", CultureInfo.InvariantCulture);
            var updated = await db.SyncCursors.Where(c => c.Name == CursorName)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Value, value).SetProperty(c => c.UpdatedAt, started), ct);
            if (updated == 0)
            {
                db.SyncCursors.Add(new SyncCursor { Name = CursorName, Value = value, UpdatedAt = started });
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException)
                {
                    // Another run wrote the first cursor at the same moment; either value is a fine starting point.
                }
            }
        }
        if (created + changed > 0) LogReconciled(logger, seen.Count, created, changed);
        return new ReconcileResult(seen.Count, created, changed, unchanged);
    }

    private async Task<IncidentReport?> ReadAsync(string arn, CancellationToken ct)
    {
        try
        {
            return await aws.ReadAsync(arn, ct);
        }
        catch (IncidentToolRefusedException ex)
        {
            LogUnreadable(logger, arn, ex.Message);
            return null;
        }
    }

    private async Task ListAsync(IReadOnlyList<Filter> filters, Dictionary<string, IncidentRecordSummary> seen, CancellationToken ct)
    {
        string? next = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var result = await services.GetRequiredService<SsmIncidentsClient>().ListIncidentRecordsAsync(filters, 100, next, ct);
            foreach (var summary in result.IncidentRecordSummaries) seen[summary.Arn] = summary;
            next = result.NextToken;
            if (string.IsNullOrEmpty(next)) return;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciliation listed {Listed} incident records: {Created} new, {Changed} changed")]
    private static partial void LogReconciled(ILogger logger, int listed, int created, int changed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stored incident {Arn} could not be read back: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string arn, string reason);
}
