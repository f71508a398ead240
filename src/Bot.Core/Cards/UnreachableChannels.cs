using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Cards;

/// <summary>
/// When the bot cannot reach a team's channel for good (removed from it, the channel archived, the token revoked),
/// nothing it posts for the team arrives, and nobody would know. The team's managers are told directly, once a day
/// per channel, with what to check.
/// </summary>
public static class UnreachableChannels
{
    public static readonly ReminderKind<NoticeArgs> Notice = new("channels.unreachable-notice");

    public sealed record NoticeArgs(string Team, string Channel, string Conversation, string Reason);

    public static Message Message(Team team, NoticeArgs args) => Conversation.Message.Build($"I cannot post in {team.Name}'s {args.Channel} channel")
        .Header($"I cannot post in {team.Name}'s channel")
        .Text($"Messages for *{team.Name}* (escalations, incidents, reviews) are not reaching its {args.Channel} channel `{args.Conversation}`. "
            + "Please check that I am still a member of the channel, that it is not archived, and that my app is still installed.")
        .Context("The platform answered: " + args.Reason)
        .Done();
}

/// <summary>Schedules the managers' notice when a reminder gave up on a team's channel (one per team, channel and day).</summary>
public sealed class UnreachableChannelListener(IServiceScopeFactory scopes, TimeProvider clock) : IReminderGiveUpListener
{
    public async Task GaveUpAsync(GaveUp gaveUp, CancellationToken ct)
    {
        if (gaveUp.Unreachable is not { } where || gaveUp.Kind == UnreachableChannels.Notice.Name) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var now = clock.GetUtcNow();
        var teams = await db.Teams.AsNoTracking().ToListAsync(ct);
        foreach (var team in teams.Where(t => t.ChannelFor(where.Channel) == where.ConversationId))
        {
            var day = TimeZones.LocalDate(now, team.TimeZone).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
            db.Schedule(UnreachableChannels.Notice, 0, now, now, new UnreachableChannels.NoticeArgs(team.Key, where.Channel, where.ConversationId, gaveUp.Reason),
                $"unreachable:{team.Key}:{where.Channel}:{day}");
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Told already today.
                db.ChangeTracker.Clear();
            }
        }
    }
}

public sealed class UnreachableNoticeHandler(LivingCards cards) : ReminderHandler<UnreachableChannels.NoticeArgs>(UnreachableChannels.Notice)
{
    protected override async Task HandleAsync(Reminder reminder, UnreachableChannels.NoticeArgs args, BotDbContext db, CancellationToken ct)
    {
        if (await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Key == args.Team, ct) is not { } team) return;
        var managers = team.Managers;
        var message = UnreachableChannels.Message(team, args);
        foreach (var manager in await db.People.AsNoTracking().Where(p => managers.Contains(p.Key)).ToListAsync(ct))
        {
            await cards.PostOnceAsync(db, new CardSubject("unreachable-notice", reminder.Id), "manager:" + manager.Key, cards.PersonTargets(manager),
                RenderedCard.Fixed(message), ct);
        }
    }
}
