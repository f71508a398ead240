using Bot.Core.Conversation;
using Bot.Core.Storage;
using Bot.Core.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Core.Scheduling;

public sealed class SchedulingOptions
{
    public const string Section = "Scheduling";

    /// <summary>A claim older than this is taken to belong to a crashed worker and may be claimed again.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often each host looks for due reminders nobody ran (a lost dispatch, a crashed worker, a stalled scheduler).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts before a failing reminder gives up (marked failed with its last error).</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>
    /// The wait after the second failed attempt (the first is retried at once: most failures are a blip); it doubles
    /// after each further one, up to <see cref="MaxRetryDelay"/>.
    /// </summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>When a reminder that failed its <paramref name="attempts"/>-th attempt at <paramref name="now"/> is tried again.</summary>
    public DateTimeOffset NextAttempt(DateTimeOffset now, int attempts) => attempts <= 1
        ? now
        : now + TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, RetryDelay.Ticks * (1L << Math.Clamp(attempts - 2, 0, 30))));
}

public enum RunOutcome { Performed, NotDue, AlreadyHandled, Missing, GaveUp }

/// <summary>
/// Claims a reminder with one conditional update (so two workers, or a job that runs twice, cannot both have it),
/// performs it through its handler, and marks it done in the same save as the handler's changes.
/// </summary>
public sealed partial class ReminderRunner(
    IServiceScopeFactory scopes,
    IEnumerable<IReminderHandler> handlers,
    TimeProvider clock,
    IOptions<SchedulingOptions> options,
    ILogger<ReminderRunner> logger,
    IEnumerable<IReminderGiveUpListener> giveUpListeners)
{
    private readonly IReminderGiveUpListener[] _giveUpListeners = giveUpListeners.ToArray();

    private readonly Dictionary<string, IReminderHandler> _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    public async Task<RunOutcome> RunAsync(long reminderId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        // The claim's time is its generation: only the run holding it may complete it. Microseconds, what PostgreSQL
        // keeps, so it compares equal when read back.
        var now = StoredTime.Of(clock.GetUtcNow());
        var staleBefore = now - options.Value.ClaimLease;

        var claimed = await db.Reminders
            .Where(r => r.Id == reminderId && r.DueAt <= now
                && (r.Status == ReminderStatus.Pending || (r.Status == ReminderStatus.Claimed && r.ClaimedAt < staleBefore)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, ReminderStatus.Claimed)
                .SetProperty(r => r.ClaimedAt, now)
                .SetProperty(r => r.Attempts, r => r.Attempts + 1), cancellationToken);

        if (claimed == 0)
        {
            var state = await db.Reminders.AsNoTracking().Where(r => r.Id == reminderId)
                .Select(r => new { r.Status, r.DueAt }).FirstOrDefaultAsync(cancellationToken);
            if (state is null) return RunOutcome.Missing;
            return state.Status == ReminderStatus.Pending && state.DueAt > now ? RunOutcome.NotDue : RunOutcome.AlreadyHandled;
        }

        var reminder = await db.Reminders.SingleAsync(r => r.Id == reminderId, cancellationToken);
        using var logScope = logger.BeginScope(new Dictionary<string, object> { ["ReminderId"] = reminderId, ["ReminderKind"] = reminder.Kind });
        using var activity = BotTelemetry.Source.StartActivity("reminder " + reminder.Kind);
        try
        {
            if (!_handlers.TryGetValue(reminder.Kind, out var handler))
                throw new InvalidOperationException($"No handler for reminder kind '{reminder.Kind}'.");
            await handler.HandleAsync(reminder, db, cancellationToken);
            if (!await CompleteAsync(db, reminder, now, cancellationToken))
            {
                // A run slower than the lease: another worker took the reminder over, and its run has the last word.
                LogLostClaim(logger, reminderId, reminder.Kind);
                return RunOutcome.AlreadyHandled;
            }
            BotTelemetry.RemindersPerformed.Add(1, new KeyValuePair<string, object?>("kind", reminder.Kind));
            return RunOutcome.Performed;
        }
        catch (ChannelUnavailableException ex)
        {
            // The platform refused for good (the bot was removed, the conversation is gone): retrying cannot help.
            LogGaveUp(logger, reminderId, reminder.Kind, ex.Message);
            BotTelemetry.RemindersGaveUp.Add(1, new KeyValuePair<string, object?>("kind", reminder.Kind));
            db.ChangeTracker.Clear();
            var message = Plain.Cut(ex.Message, 500);
            var marked = await db.Reminders.Where(r => r.Id == reminderId && r.Status == ReminderStatus.Claimed && r.ClaimedAt == now)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReminderStatus.Failed).SetProperty(r => r.LastError, message), CancellationToken.None);
            if (marked == 1) await TellAsync(new GaveUp(reminderId, reminder.Kind, message, ex.Where));
            return RunOutcome.GaveUp;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping: handed back as it was, due now and with this attempt not counted, for whichever
            // host runs next. Its effects are safe to perform again (posts are looked for before they are resent).
            await HandBackAsync(reminderId, now);
            throw;
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex, reminderId, reminder.Kind);
            if (await ReleaseAsync(reminderId, reminder.Kind, reminder.Attempts, now, ex)) return RunOutcome.GaveUp;
            throw;
        }
    }

    /// <summary>
    /// Marks the reminder done in the same transaction as the handler's changes, fenced by the claim it was run under:
    /// when another worker has claimed it since (this run outlived its lease), nothing is saved and false comes back.
    /// </summary>
    private async Task<bool> CompleteAsync(BotDbContext db, Reminder reminder, DateTimeOffset claimedAt, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var completedAt = clock.GetUtcNow().ToUniversalTime();
        // Takes the row's write lock first, so a takeover waits for this commit and then finds the reminder done.
        var held = await db.Reminders.Where(r => r.Id == reminder.Id && r.Status == ReminderStatus.Claimed && r.ClaimedAt == claimedAt)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReminderStatus.Done).SetProperty(r => r.CompletedAt, completedAt)
                .SetProperty(r => r.LastError, (string?)null), ct);
        if (held == 0)
        {
            await tx.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            return false;
        }
        // The handler's changes; the reminder row itself was completed just above.
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Makes a reminder that gave up due again, from its first attempt (an operator fixed the cause); false when it had not given up.</summary>
    public async Task<bool> RetryGivenUpAsync(long reminderId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var now = clock.GetUtcNow().ToUniversalTime();
        return await db.Reminders.Where(r => r.Id == reminderId && r.Status == ReminderStatus.Failed)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReminderStatus.Pending).SetProperty(r => r.Attempts, 0).SetProperty(r => r.DueAt, now), cancellationToken) == 1;
    }

    /// <summary>Runs every due reminder nobody ran (a lost dispatch, a crash mid-run, a clock that moved). Returns how many ran.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        long[] due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            var now = clock.GetUtcNow();
            var staleBefore = now - options.Value.ClaimLease;
            due = await db.Reminders.AsNoTracking()
                .Where(r => r.DueAt <= now && (r.Status == ReminderStatus.Pending || (r.Status == ReminderStatus.Claimed && r.ClaimedAt < staleBefore)))
                .OrderBy(r => r.DueAt).Select(r => r.Id).Take(500).ToArrayAsync(cancellationToken);
        }

        var performed = 0;
        foreach (var id in due)
        {
            try
            {
                if (await RunAsync(id, cancellationToken) == RunOutcome.Performed) performed++;
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Logged and released by RunAsync; the next sweep retries it.
            }
        }
        return performed;
    }

    /// <summary>
    /// Gives a failed claim back for a later attempt, due after an exponential backoff (so reminders that keep failing
    /// move behind the others the sweep takes), or, out of attempts, marks it failed with its last error.
    /// Uses no cancellation token: a give-back left undone would wait out its lease for nothing. True when it gave up.
    /// </summary>
    private async Task<bool> ReleaseAsync(long reminderId, string kind, int attempts, DateTimeOffset claimedAt, Exception error)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            var message = Plain.Cut(error.Message, 500);
            // Only the claim this run holds: one that was taken over is the other run's to give back.
            var claimed = db.Reminders.Where(r => r.Id == reminderId && r.Status == ReminderStatus.Claimed && r.ClaimedAt == claimedAt);
            if (attempts >= options.Value.MaxAttempts)
            {
                var final = Plain.Cut($"Gave up after {attempts} attempts: {error.Message}", 500);
                if (await claimed.ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReminderStatus.Failed).SetProperty(r => r.LastError, final), CancellationToken.None) == 0)
                    return false;
                LogGaveUp(logger, reminderId, kind, final);
                BotTelemetry.RemindersGaveUp.Add(1, new KeyValuePair<string, object?>("kind", kind));
                await TellAsync(new GaveUp(reminderId, kind, final, (error as ChannelUnavailableException)?.Where));
                return true;
            }
            var next = options.Value.NextAttempt(clock.GetUtcNow(), attempts).ToUniversalTime();
            await claimed.ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReminderStatus.Pending).SetProperty(r => r.LastError, message)
                .SetProperty(r => r.DueAt, next), CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The claim lease still lets a later sweep take it.
            LogReleaseFailed(logger, ex, reminderId);
        }
        return false;
    }

    private async Task HandBackAsync(long reminderId, DateTimeOffset claimedAt)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            var handedBack = await db.Reminders.Where(r => r.Id == reminderId && r.Status == ReminderStatus.Claimed && r.ClaimedAt == claimedAt)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReminderStatus.Pending).SetProperty(r => r.ClaimedAt, (DateTimeOffset?)null)
                    .SetProperty(r => r.Attempts, r => r.Attempts - 1), CancellationToken.None);
            if (handedBack == 1) LogHandedBack(logger, reminderId);
        }
        catch (Exception ex)
        {
            // The claim lease still lets a later run take it.
            LogReleaseFailed(logger, ex, reminderId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reminder {ReminderId} handed back unfinished: the host is stopping")]
    private static partial void LogHandedBack(ILogger logger, long reminderId);

    private async Task TellAsync(GaveUp gaveUp)
    {
        foreach (var listener in _giveUpListeners)
        {
            try
            {
                await listener.GaveUpAsync(gaveUp, CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogListenerFailed(logger, ex, gaveUp.ReminderId, listener.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not make reminder {ReminderId}'s give-up known through {Listener}")]
    private static partial void LogListenerFailed(ILogger logger, Exception ex, long reminderId, string listener);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reminder {ReminderId} ({Kind}) failed; released for retry")]
    private static partial void LogFailed(ILogger logger, Exception ex, long reminderId, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminder {ReminderId} ({Kind}) given up: {Reason}")]
    private static partial void LogGaveUp(ILogger logger, long reminderId, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminder {ReminderId} ({Kind}) ran past its lease and was taken over; its run's changes were not saved")]
    private static partial void LogLostClaim(ILogger logger, long reminderId, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release reminder {ReminderId}; its lease will expire")]
    private static partial void LogReleaseFailed(ILogger logger, Exception ex, long reminderId);
}
