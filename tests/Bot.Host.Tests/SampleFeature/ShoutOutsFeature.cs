using Bot.Core.Cards;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Events;
using Bot.Core.Features.Escalation;
using Bot.Core.Flows;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Host.Tests.SampleFeature;

// A feature written the way every feature is, kept in the tests to show the shape: one folder, one registration line.
// It has a per-team setting, a command, a typed reminder kind, a living card, an event subscription and a per-team
// schedule in the team's time zone, and touches no file outside this folder.

/// <summary><c>Directory:Teams:N:ShoutOuts</c>.</summary>
public sealed class ShoutOutSettings : ITeamSettings
{
    public string Emoji { get; set; } = "🎉";

    /// <summary>A Monday-morning prompt in the team channel, at 09:00 in the team's zone.</summary>
    public bool Weekly { get; set; } = true;

    public IEnumerable<string> Validate(string path, IReadOnlySet<string> people) =>
        Emoji.Length is 0 or > 8 ? [$"{path}:Emoji must be one emoji"] : [];
}

public static class ShoutOuts
{
    public static readonly ReminderKind<PostArgs> Post = new("shoutouts.post");

    public sealed record PostArgs(string TeamKey, string From, string Text);

    public static IServiceCollection AddShoutOutsFeature(this IServiceCollection services)
    {
        services.AddTeamSettings<ShoutOutSettings>("ShoutOuts");
        services.AddScoped<IFlow, ShoutOutFlow>();
        services.AddSingleton<IReminderHandler, PostShoutOutHandler>();
        services.AddEventSubscriber<EscalationResolved, ThankWhoResolved>("shoutouts.thank-who-resolved");
        services.AddSingleton<ITeamRecurringJob, WeeklyShoutOutPrompt>();
        return services;
    }
}

public sealed class ShoutOutFlow : IFlow
{
    public FlowInfo Info { get; } = new("shoutouts", "shoutout", "Thank someone in front of their team", "/shoutout [who and what for]");

    public async Task OnCommandAsync(Turn turn, Command command, CancellationToken ct)
    {
        var team = turn.Person is { } p ? (await turn.Db.Teams.AsNoTracking().ToListAsync(ct)).FirstOrDefault(t => t.Members.Contains(p.Key)) : null;
        if (command.Text.Trim().Length == 0 || team is null)
        {
            await turn.ReplyPrivatelyAsync(Message.Text("Say who you are thanking and what for: `/shoutout Bea fixed the deploy`."), ct);
            return;
        }
        turn.Db.Schedule(ShoutOuts.Post, 0, turn.Now, turn.Now, new ShoutOuts.PostArgs(team.Key, turn.ActorName, Plain.Cut(command.Text.Trim(), 500)));
        await turn.Db.SaveChangesAsync(ct);
        await turn.ReplyPrivatelyAsync(Message.Text($"Thanks for saying it out loud; it is on its way to {team.Name}."), ct);
    }

    public Task OnActionAsync(Turn turn, ButtonAction action, CancellationToken ct) => Task.CompletedTask;

    public Task<FormResult> OnSubmitAsync(Turn turn, FormSubmission submission, CancellationToken ct) => Task.FromResult(FormResult.Accepted);
}

/// <summary>Each shout-out is a card of its own (its subject is the reminder that carries it), posted once per channel.</summary>
public sealed class PostShoutOutHandler(LivingCards cards, TeamSettings<ShoutOutSettings> settings) : ReminderHandler<ShoutOuts.PostArgs>(ShoutOuts.Post)
{
    protected override async Task HandleAsync(Reminder reminder, ShoutOuts.PostArgs args, BotDbContext db, CancellationToken ct)
    {
        var emoji = settings.For(args.TeamKey).Emoji;
        var message = Message.Build($"Shout-out from {args.From}: {args.Text}").Text($"{emoji} *{args.From}*: {args.Text}").Done();
        await cards.PostOnceAsync(db, new CardSubject("shoutout", reminder.Id), LivingCards.Card, await cards.TeamTargetsAsync(db, args.TeamKey, ct),
            RenderedCard.Fixed(message), ct);
    }
}

public sealed class ThankWhoResolved(TimeProvider clock) : IEventSubscriber<EscalationResolved>
{
    public string Name => "shoutouts.thank-who-resolved";

    public Task HandleAsync(EscalationResolved e, EventDelivery delivery, BotDbContext db, CancellationToken ct) =>
        db.ScheduleOnceAsync(ShoutOuts.Post, e.EscalationId, clock.GetUtcNow(), $"shoutout:escalation:{e.EscalationId}",
            new ShoutOuts.PostArgs(e.TeamKey, "the bot", $"thanks to {e.ResolvedBy} for closing escalation {EscalationReference.Of(e.EscalationId)}"), ct);
}

public sealed class WeeklyShoutOutPrompt(IServiceScopeFactory scopes, TeamSettings<ShoutOutSettings> settings, TimeProvider clock) : ITeamRecurringJob
{
    public string Id => "shoutouts.weekly";

    public RecurringSchedule? ScheduleFor(Team team) =>
        settings.For(team).Weekly ? RecurringSchedule.Weekly(DayOfWeek.Monday, new TimeOnly(9, 0), team.TimeZone) : null;

    /// <summary>The ISO week of the team's local date, with the ISO week's own year (30 December 2024 is in 2025-W01).</summary>
    public static string WeekOf(DateTimeOffset now, string zone)
    {
        var day = TimeZones.LocalDate(now, zone).ToDateTime(TimeOnly.MinValue);
        return $"{System.Globalization.ISOWeek.GetYear(day)}-W{System.Globalization.ISOWeek.GetWeekOfYear(day):D2}";
    }

    public async Task RunAsync(string teamKey, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var now = clock.GetUtcNow();
        if (await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Key == teamKey, ct) is not { } team) return;
        // Once per team and week, however often the job runs.
        await db.ScheduleOnceAsync(ShoutOuts.Post, 0, now, $"shoutout:weekly:{teamKey}:{WeekOf(now, team.TimeZone)}",
            new ShoutOuts.PostArgs(teamKey, "the bot", "a new week: who helped you last week? Say it with /shoutout."), ct);
        await db.SaveChangesAsync(ct);
    }
}
