using System.Runtime.ExceptionServices;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Features.Incidents;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Features.Incidents;

/// <summary>Posting an incident to its team's channels, once per channel and purpose, whatever else retries.</summary>
public static class IncidentPosting
{
    public static async Task<(Team? Team, Service? Service, Deployment? Deployment)> ContextAsync(BotDbContext db, Incident i, CancellationToken ct)
    {
        var team = i.TeamKey is null ? null : await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Key == i.TeamKey, ct);
        var service = i.ServiceKey is null ? null : await db.Services.AsNoTracking().FirstOrDefaultAsync(s => s.Key == i.ServiceKey, ct);
        var deployment = i.DeploymentId is null ? null : await db.Deployments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == i.DeploymentId, ct);
        return (team, service, deployment);
    }

    public static async Task<Message> CardAsync(BotDbContext db, Incident i, DateTimeOffset now, CancellationToken ct)
    {
        var (team, service, deployment) = await ContextAsync(db, i, ct);
        return IncidentMessages.Card(i, team, service, deployment, now);
    }

    /// <summary>
    /// Posts to every connected channel the team has that has no post of this purpose yet. Each post is claimed (a row
    /// committed) before it is sent, so a retry after a crash or after another channel failed never sends it twice;
    /// a send the platform refused gives its claim back, so the retry sends it.
    /// </summary>
    public static async Task PostOnceAsync(BotDbContext db, ChannelRegistry channels, Incident i, string purpose,
        Func<Incident, Task<Message>> render, CancellationToken ct)
    {
        var team = i.TeamKey is null ? null : await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Key == i.TeamKey, ct);
        if (team is null) return;
        var done = await db.IncidentPosts.AsNoTracking().Where(p => p.IncidentId == i.Id && p.Purpose == purpose).Select(p => p.Channel).ToListAsync(ct);
        var failures = new List<ExceptionDispatchInfo>();
        Message? message = null;
        foreach (var channel in channels.Enabled)
        {
            if (team.ChannelFor(channel.Kind) is not { } where || done.Contains(channel.Kind, StringComparer.OrdinalIgnoreCase)) continue;
            if (!await ClaimAsync(db, i.Id, channel.Kind, purpose, ct)) continue;
            var kind = channel.Kind;
            MessageRef? posted = null;
            try
            {
                // One rendering serves every channel.
                message ??= await render(i);
                posted = await channel.PostAsync(new ConversationAddress(kind, where), message, ct);
                var (conversationId, messageId) = (posted.ConversationId, posted.MessageId);
                await db.IncidentPosts.Where(p => p.IncidentId == i.Id && p.Channel == kind && p.Purpose == purpose)
                    .ExecuteUpdateAsync(x => x.SetProperty(p => p.ConversationId, conversationId).SetProperty(p => p.MessageId, messageId), ct);

                // Someone may have acted while the card was on its way; their refresh did not find it, so update it here.
                if (purpose == IncidentPost.Card)
                {
                    var current = await db.Incidents.AsNoTracking().SingleAsync(x => x.Id == i.Id, ct);
                    if (current.Version != i.Version) await channel.UpdateAsync(posted, await render(current), ct);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                if (posted is null)
                    await db.IncidentPosts.Where(p => p.IncidentId == i.Id && p.Channel == kind && p.Purpose == purpose && p.MessageId == "")
                        .ExecuteDeleteAsync(CancellationToken.None);
                failures.Add(ExceptionDispatchInfo.Capture(ex));
            }
        }
        ThrowPreferringRetryable(failures);
    }

    /// <summary>
    /// A failure another attempt may fix wins over a permanent one (which makes the runner give up), so one removed
    /// channel does not cost the others their retry.
    /// </summary>
    public static void ThrowPreferringRetryable(List<ExceptionDispatchInfo> failures)
    {
        if (failures.Count == 0) return;
        (failures.FirstOrDefault(f => f.SourceException is not ChannelUnavailableException) ?? failures[0]).Throw();
    }

    private static async Task<bool> ClaimAsync(BotDbContext db, long incidentId, string channel, string purpose, CancellationToken ct)
    {
        var claim = new IncidentPost { IncidentId = incidentId, Channel = channel, Purpose = purpose };
        db.IncidentPosts.Add(claim);
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            return false;
        }
        finally
        {
            db.Entry(claim).State = EntityState.Detached;
        }
    }
}

public sealed class PostIncidentHandler(ChannelRegistry channels, TimeProvider clock) : IReminderHandler
{
    public string Kind => IncidentReminders.Post;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        var incident = await db.Incidents.AsNoTracking().FirstOrDefaultAsync(x => x.Id == reminder.SubjectId, ct);
        if (incident is null) return;
        await IncidentPosting.PostOnceAsync(db, channels, incident, IncidentPost.Card, i => IncidentPosting.CardAsync(db, i, clock.GetUtcNow(), ct), ct);
    }
}

public sealed class RefreshIncidentHandler(ChannelRegistry channels, TimeProvider clock) : IReminderHandler
{
    public string Kind => IncidentReminders.Refresh;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        var incident = await db.Incidents.AsNoTracking().FirstOrDefaultAsync(x => x.Id == reminder.SubjectId, ct);
        if (incident is null) return;
        // A newer refresh is waiting: it renders the state as it will be then, so this one has nothing to add.
        var now = clock.GetUtcNow();
        if (await db.Reminders.AnyAsync(r => r.Kind == IncidentReminders.Refresh && r.SubjectId == incident.Id && r.Id > reminder.Id
                && r.Status == ReminderStatus.Pending && r.DueAt <= now, ct))
            return;
        // Not posted yet: the post renders the current state, and re-checks it once posted.
        var posts = await db.IncidentPosts.AsNoTracking()
            .Where(p => p.IncidentId == incident.Id && p.Purpose == IncidentPost.Card && p.MessageId != "").ToListAsync(ct);
        if (posts.Count == 0) return;
        // Refreshes may overlap: one holding an older state must not have the last word, so render again until the
        // state shown is the state stored.
        for (var round = 0; round < 3; round++)
        {
            var card = await IncidentPosting.CardAsync(db, incident, clock.GetUtcNow(), ct);
            var failures = new List<ExceptionDispatchInfo>();
            foreach (var post in posts)
            {
                try
                {
                    if (channels.Find(post.Channel) is { } channel)
                        await channel.UpdateAsync(new MessageRef(post.Channel, post.ConversationId, post.MessageId), card, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failures.Add(ExceptionDispatchInfo.Capture(ex));
                }
            }
            IncidentPosting.ThrowPreferringRetryable(failures);
            var current = await db.Incidents.AsNoTracking().SingleAsync(x => x.Id == incident.Id, ct);
            if (current.Version == incident.Version) return;
            incident = current;
        }
    }
}

/// <summary>
/// Resolving an incident starts the post-incident review: recorded on the incident (once) and asked for in the team's
/// channels. The review flow builds on <see cref="Incident.ReviewRequestedAt"/> and this reminder kind.
/// </summary>
public sealed class ReviewRequestHandler(ChannelRegistry channels, TimeProvider clock) : IReminderHandler
{
    public string Kind => IncidentReminders.Review;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // Set once, without the incident's version check: the incident may change meanwhile (a reopening, a title),
        // which must neither fail this nor be overwritten by it. The version moves on, so other writers re-read.
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var first = await db.Incidents.Where(x => x.Id == reminder.SubjectId && x.ReviewRequestedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ReviewRequestedAt, now).SetProperty(x => x.Version, x => x.Version + 1), ct);
            if (first > 0)
            {
                db.IncidentEvents.Add(new IncidentEvent
                {
                    IncidentId = reminder.SubjectId, At = now, Kind = IncidentEventKind.ReviewRequested, Actor = "bot",
                    Text = "Asked the team for a blameless post-incident review",
                });
                IncidentReminders.ScheduleRefresh(db, reminder.SubjectId, now);
                await db.SaveChangesAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        var incident = await db.Incidents.AsNoTracking().FirstOrDefaultAsync(x => x.Id == reminder.SubjectId, ct);
        if (incident is null) return;
        var (team, _, _) = await IncidentPosting.ContextAsync(db, incident, ct);
        await IncidentPosting.PostOnceAsync(db, channels, incident, IncidentPost.Review, i => Task.FromResult(IncidentMessages.ReviewPrompt(i, team)), ct);
    }
}

/// <summary>Writes a chat decision to the incident tool's timeline as a custom event; exactly once, by the reminder's own token.</summary>
public sealed partial class WriteBackHandler(IEnumerable<IExternalIncidents> tools, InstallationIdentity installation, TimeProvider clock, ILogger<WriteBackHandler> logger) : IReminderHandler
{
    public string Kind => IncidentReminders.Note;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        var incident = await db.Incidents.FirstOrDefaultAsync(x => x.Id == reminder.SubjectId, ct);
        if (incident is null || tools.FirstOrDefault(t => t.Source == incident.Source && t.Enabled) is not { } tool) return;
        try
        {
            await tool.AddTimelineEventAsync(incident.ExternalId, reminder.CreatedAt, reminder.Argument ?? "",
                await installation.TokenAsync("reminder", reminder.Id, "note", ct), ct);
        }
        catch (IncidentToolRefusedException ex)
        {
            LogRefused(logger, incident.Id, ex.Message);
            incident.Record(clock.GetUtcNow(), IncidentEventKind.Note, "bot", "Could not write to the incident's timeline: " + ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The incident tool refused a timeline event for incident {IncidentId}: {Reason}")]
    private static partial void LogRefused(ILogger logger, long incidentId, string reason);
}

/// <summary>Resolving from chat: the tool is told, then the incident is read back through the intake like any report.</summary>
public sealed class ResolveInToolHandler(IEnumerable<IExternalIncidents> tools, InstallationIdentity installation, IServiceScopeFactory scopes, TimeProvider clock) : IReminderHandler
{
    public string Kind => IncidentReminders.ResolveInTool;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        var incident = await db.Incidents.AsNoTracking().FirstOrDefaultAsync(x => x.Id == reminder.SubjectId, ct);
        if (incident is null || incident.Status == IncidentStatus.Resolved || tools.FirstOrDefault(t => t.Source == incident.Source && t.Enabled) is not { } tool) return;
        try
        {
            await tool.ResolveAsync(incident.ExternalId, await installation.TokenAsync("reminder", reminder.Id, "resolve", ct), ct);
            var report = await tool.ReadAsync(incident.ExternalId, ct);
            await using var scope = scopes.CreateAsyncScope();
            await IncidentIntake.ApplyAsync(scope.ServiceProvider.GetRequiredService<BotDbContext>(), report, clock.GetUtcNow(), ct);
        }
        catch (IncidentToolRefusedException ex)
        {
            var tracked = await db.Incidents.SingleAsync(x => x.Id == incident.Id, ct);
            tracked.Record(clock.GetUtcNow(), IncidentEventKind.Note, "bot", "Could not resolve it in the incident tool: " + ex.Message);
        }
    }
}
