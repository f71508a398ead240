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
/// full digest to each manager, and to the team's leadership channels. Each is a claimed card keyed by the team's
/// week, so a job run twice, retried or run on two hosts sends once. A quiet week is sent too.
/// </summary>
public sealed class WeeklyDigest(IServiceScopeFactory scopes, LivingCards cards, ChannelRegistry channels, DigestCharts charts, TeamSettings<DigestTeamSettings> settings,
    TimeProvider clock) : ITeamRecurringJob
{
    public string Id => "digests.weekly";

    public RecurringSchedule? ScheduleFor(Team team) => RecurringSchedule.Weekly(settings.For(team).Day, settings.For(team).Time, team.TimeZone);

    public async Task RunAsync(string teamKey, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        if (await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Key == teamKey, ct) is not { } team) return;
        var now = clock.GetUtcNow();
        var window = DigestWeeks.Before(now, team.TimeZone);
        var built = await DigestBuilder.BuildAsync(db, team, window, soFar: false, now, ct);
        var chart = await charts.AddressAsync(team, window, ct);
        var digest = DigestMessages.Full(built with { ChartUrl = chart });
        var subject = new CardSubject("digest", window.Key(team.TimeZone));
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
