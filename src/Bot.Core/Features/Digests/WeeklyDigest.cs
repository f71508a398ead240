using System.Globalization;
using Bot.Core.Cards;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Features.Digests;

/// <summary>
/// The weekly digest, per team at its own day and local time (Monday 09:00 by default, DST-correct): last week's
/// full digest to each manager, and to the team's leadership channels. The job only schedules the week's send, once
/// per team and week (a dedupe key), so a job run twice, retried or run on two hosts schedules one; the send is a
/// reminder, retried with backoff when a platform fails and taken over after its lease when a host dies mid-send, and
/// each message in it is a claimed card keyed by the team's week, so it goes out once. A quiet week is sent too.
/// </summary>
public sealed class WeeklyDigest(IServiceScopeFactory scopes, TeamSettings<DigestTeamSettings> settings, TimeProvider clock) : ITeamRecurringJob
{
    public static readonly ReminderKind<WeekArgs> Send = new("digests.weekly");

    /// <summary>The team whose week the reminder sends; the week's key (e.g. 202648) is the reminder's subject.</summary>
    public sealed record WeekArgs(string Team);

    public string Id => "digests.weekly";

    public RecurringSchedule? ScheduleFor(Team team) => RecurringSchedule.Weekly(settings.For(team).Day, settings.For(team).Time, team.TimeZone);

    public async Task RunAsync(string teamKey, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        if (await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Key == teamKey, ct) is not { } team) return;
        var now = clock.GetUtcNow();
        var week = DigestWeeks.Before(now, team.TimeZone).Key(team.TimeZone);
        if (!await db.ScheduleOnceAsync(Send, week, now, $"digests.weekly:{team.Key}:{week.ToString(CultureInfo.InvariantCulture)}", new WeekArgs(team.Key), ct))
            return;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another host scheduled this week's send at the same moment: theirs is the one.
        }
    }
}

/// <summary>Sends a team's digest of one week to each of its managers and to its leadership channels, each once.</summary>
public sealed class WeeklyDigestHandler(LivingCards cards, ChannelRegistry channels, DigestCharts charts, TeamSettings<DigestTeamSettings> settings,
    TimeProvider clock) : ReminderHandler<WeeklyDigest.WeekArgs>(WeeklyDigest.Send)
{
    protected override async Task HandleAsync(Reminder reminder, WeeklyDigest.WeekArgs args, BotDbContext db, CancellationToken ct)
    {
        // A team that left the directory since has nobody to send to.
        if (await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Key == args.Team, ct) is not { } team) return;
        var window = DigestWeeks.FromKey(reminder.SubjectId, team.TimeZone);
        var built = await DigestBuilder.BuildAsync(db, team, window, soFar: false, clock.GetUtcNow(), ct);
        var chart = await charts.AddressAsync(team, window, ct);
        var digest = DigestMessages.Full(built with { ChartUrl = chart });
        var subject = new CardSubject("digest", reminder.SubjectId);
        var managers = await db.People.AsNoTracking().Where(p => team.Managers.Contains(p.Key)).ToListAsync(ct);
        byte[]? png = null;
        foreach (var manager in managers)
        {
            var posted = await cards.PostOnceAsync(db, subject, $"{team.Key}:{manager.Key}", cards.PersonTargets(manager), RenderedCard.Fixed(digest), ct);
            // Without a public address the platforms cannot fetch the chart: where they keep files, it follows the digest as one.
            if (DigestCharts.IsPublic(chart)) continue;
            foreach (var sent in posted)
            {
                png ??= await DigestCharts.RenderAsync(db, team, window, ct);
                await channels.Get(sent.Channel).SendFileAsync(manager, DigestMessages.ChartFileName(built), DigestMessages.ChartTitle(built), png, ct);
            }
        }
        await cards.PostOnceAsync(db, subject, $"{team.Key}:leadership", cards.ConfiguredTargets(settings.For(team).LeadershipChannels),
            RenderedCard.Fixed(DigestMessages.Full(built with { ChartUrl = chart }, forChannel: true)), ct);
    }
}
