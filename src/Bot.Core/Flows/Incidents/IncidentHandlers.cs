using System.Runtime.ExceptionServices;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Incidents;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Flows.Incidents;

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
    /// Posts to every connected channel the team has, skipping those already posted to. Each post is recorded as soon
    /// as it exists, so a retry (after one channel failed, or a crash) posts only what is missing.
    /// </summary>
    public static async Task PostOnceAsync(BotDbContext db, ChannelRegistry channels, Incident i, string purpose,
        Func<Incident, Task<Message>> render, CancellationToken ct)
    {
        var team = i.TeamKey is null ? null : await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Key == i.TeamKey, ct);
        if (team is null) return;
        var done = await db.IncidentPosts.AsNoTracking().Where(p => p.IncidentId == i.Id && p.Purpose == purpose).Select(p => p.Channel).ToListAsync(ct);
        ExceptionDispatchInfo? failure = null;
        foreach (var channel in channels.Enabled)
        {
            if (team.ChannelFor(channel.Kind) is not { } where || done.Contains(channel.Kind, StringComparer.OrdinalIgnoreCase)) continue;
            try
            {
                var posted = await channel.PostAsync(new ConversationAddress(channel.Kind, where), await render(i), ct);
                db.IncidentPosts.Add(new IncidentPost
                {
                    IncidentId = i.Id, Channel = channel.Kind, Purpose = purpose, ConversationId = posted.ConversationId, MessageId = posted.MessageId,
                });
                await db.SaveChangesAsync(ct);

                // Someone may have acted while the card was on its way; their refresh did not find it, so update it here.
                if (purpose == IncidentPost.Card)
                {
                    var current = await db.Incidents.AsNoTracking().SingleAsync(x => x.Id == i.Id, ct);
                    if (current.Version != i.Version) await channel.UpdateAsync(posted, await render(current), ct);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failure ??= ExceptionDispatchInfo.Capture(ex);
            }
        }
        failure?.Throw();
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
        // Not posted yet: the post renders the current state, and re-checks it once posted.
        var posts = await db.IncidentPosts.AsNoTracking().Where(p => p.IncidentId == incident.Id && p.Purpose == IncidentPost.Card).ToListAsync(ct);
        if (posts.Count == 0) return;
        var card = await IncidentPosting.CardAsync(db, incident, clock.GetUtcNow(), ct);
        foreach (var post in posts)
        {
            if (channels.Find(post.Channel) is { } channel)
                await channel.UpdateAsync(new MessageRef(post.Channel, post.ConversationId, post.MessageId), card, ct);
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
        var incident = await db.Incidents.FirstOrDefaultAsync(x => x.Id == reminder.SubjectId, ct);
        if (incident is null) return;
        var now = clock.GetUtcNow();
        if (incident.ReviewRequestedAt is null)
        {
            incident.ReviewRequestedAt = now;
            incident.Record(now, IncidentEventKind.ReviewRequested, "bot", "Asked the team for a blameless post-incident review");
            db.Schedule(IncidentReminders.Refresh, incident.Id, now, now);
            await db.SaveChangesAsync(ct);
        }
        var (team, _, _) = await IncidentPosting.ContextAsync(db, incident, ct);
        await IncidentPosting.PostOnceAsync(db, channels, incident, IncidentPost.Review, i => Task.FromResult(IncidentMessages.ReviewPrompt(i, team)), ct);
    }
}

/// <summary>Writes a chat decision to the incident tool's timeline as a custom event; exactly once, by the reminder's own token.</summary>
public sealed partial class WriteBackHandler(IEnumerable<IExternalIncidents> tools, TimeProvider clock, ILogger<WriteBackHandler> logger) : IReminderHandler
{
    public string Kind => IncidentReminders.Note;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        var incident = await db.Incidents.FirstOrDefaultAsync(x => x.Id == reminder.SubjectId, ct);
        if (incident is null || tools.FirstOrDefault(t => t.Source == incident.Source) is not { } tool) return;
        try
        {
            await tool.AddTimelineEventAsync(incident.ExternalId, reminder.CreatedAt, reminder.Argument ?? "", $"bot-note-{reminder.Id}", ct);
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
public sealed class ResolveInToolHandler(IEnumerable<IExternalIncidents> tools, IServiceScopeFactory scopes, TimeProvider clock) : IReminderHandler
{
    public string Kind => IncidentReminders.ResolveInTool;

    public async Task HandleAsync(Reminder reminder, BotDbContext db, CancellationToken ct)
    {
        var incident = await db.Incidents.AsNoTracking().FirstOrDefaultAsync(x => x.Id == reminder.SubjectId, ct);
        if (incident is null || incident.Status == IncidentStatus.Resolved || tools.FirstOrDefault(t => t.Source == incident.Source) is not { } tool) return;
        try
        {
            await tool.ResolveAsync(incident.ExternalId, $"bot-resolve-{reminder.Id}", ct);
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
