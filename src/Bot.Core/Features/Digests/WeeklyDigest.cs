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
public sealed class WeeklyDigest(IServiceScopeFactory scopes, LivingCards cards, TeamSettings<DigestTeamSettings> settings,
    TimeProvider clock) : ITeamRecurringJob
{
    public string Id => "digests.weekly";

    public RecurringSchedule? ScheduleFor(Team team) => RecurringSchedule.Weekly(settings.For(team).Day, settings.For(team).Time, team.TimeZone);

    public async Task RunAsync(string teamKey, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        if (await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Key == teamKey, ct) is not { } team) return;
        var window = DigestWeeks.Before(clock.GetUtcNow(), team.TimeZone);
        var digest = DigestMessages.Full(await DigestBuilder.BuildAsync(db, team, window, soFar: false, ct));
        var subject = new CardSubject("digest", window.Key(team.TimeZone));
        var managers = await db.People.AsNoTracking().Where(p => team.Managers.Contains(p.Key)).ToListAsync(ct);
        foreach (var manager in managers)
            await cards.PostOnceAsync(db, subject, $"{team.Key}:{manager.Key}", cards.PersonTargets(manager), RenderedCard.Fixed(digest), ct);
        await cards.PostOnceAsync(db, subject, $"{team.Key}:leadership", cards.ConfiguredTargets(settings.For(team).LeadershipChannels),
            RenderedCard.Fixed(digest), ct);
    }
}
