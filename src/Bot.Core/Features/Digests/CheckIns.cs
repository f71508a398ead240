using System.Globalization;
using Bot.Core.Cards;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Flows;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Features.Digests;

/// <summary>The 30-second end-of-shift form: load, sleep, what hurt most, and whether managers may read it with the name.</summary>
public static class CheckInForms
{
    public static readonly FormId Id = FormId.Of(DigestForm.CheckIn);
    public static readonly ActionId Open = ActionId.Of(DigestAction.OpenCheckIn);
    public const int WhatHurtMax = 1000;

    public static readonly IReadOnlyList<FormOption> Loads =
    [
        new("1", "1 · Quiet"), new("2", "2 · Light"), new("3", "3 · Manageable"), new("4", "4 · Heavy"), new("5", "5 · Overwhelming"),
    ];

    public static Form Form(CheckIn c) =>
        new(Id, "End-of-shift check-in", [
            new FormField("load", "How heavy was the shift?", FieldKind.Select, Required: true, Initial: c.Load?.ToString(CultureInfo.InvariantCulture), Options: Loads),
            new FormField("sleep", "Was your sleep interrupted?", FieldKind.Select, Required: true,
                Initial: c.SleepInterrupted switch { true => "yes", false => "no", null => null },
                Options: [new("yes", "Yes"), new("no", "No")]),
            new FormField("hurt", "What hurt most?", FieldKind.Multiline, Initial: c.WhatHurt, MaxLength: WhatHurtMax,
                Placeholder: "e.g. a noisy alert on the billing queue", Hint: "Optional. Systems and process, not people."),
            new FormField("share", "Sharing", FieldKind.Check, Initial: c.Shared ? "true" : "false",
                Options: [new("true", "My managers may read what I wrote, with my name")],
                Hint: "Unticked, managers only see how many people wrote something, never the text."),
        ], "Check in", c.Id.ToString(CultureInfo.InvariantCulture));
}

/// <summary>The check-in card in the outgoing on-call's direct messages: the question, then what they answered.</summary>
public static class CheckInMessages
{
    public static CardSubject Subject(long checkInId) => new("checkin", checkInId);

    public const string Purpose = "prompt";

    public static Message Card(CheckIn c, Team team)
    {
        var tz = TimeZones.Find(team.TimeZone);
        var from = TimeZoneInfo.ConvertTime(c.ShiftStartedAt, tz);
        var to = TimeZoneInfo.ConvertTime(c.ShiftEndedAt, tz);
        var shift = $"{from:ddd d MMM HH:mm} – {to:ddd d MMM HH:mm}";
        if (c.AnsweredAt is null)
            return Message.Build($"Your on-call shift for {team.Name} ended. How was it?")
                .Header(Plain.OneLine($"🌙 Your on-call shift for {team.Name} ended"))
                .Text($"Thank you for carrying the pager ({shift}). How was it? Three questions, 30 seconds: the answers shape the team's on-call, " +
                      "and your managers see the team's load each week.")
                .Buttons(new Button(CheckInForms.Open, "Check in", c.Id.ToString(CultureInfo.InvariantCulture), ButtonStyle.Primary))
                .Done();
        var load = CheckInForms.Loads.Single(l => l.Value == c.Load!.Value.ToString(CultureInfo.InvariantCulture)).Label;
        var hard = c.Load >= 4 || c.SleepInterrupted == true;
        var builder = Message.Build($"Checked in for your {team.Name} shift")
            .Header(Plain.OneLine($"🌙 Checked in: {team.Name} on-call"))
            .Fields(new Field("Shift", shift), new Field("Load", load), new Field("Sleep interrupted", c.SleepInterrupted == true ? "Yes" : "No"),
                new Field("What hurt most", string.IsNullOrWhiteSpace(c.WhatHurt) ? "—" : (c.Shared ? "Shared with your managers" : "Kept to you (counted only)")))
            .Text(hard
                ? "That sounds like a hard shift. Thank you. Rest if you can; a heavy load shows in the team's weekly digest, which is how it gets fixed."
                : "Thank you. Your answers count towards the team's on-call health.");
        return builder.Buttons(new Button(CheckInForms.Open, "Change my answers", c.Id.ToString(CultureInfo.InvariantCulture))).Done();
    }

    public static CardRenderer Renderer(BotDbContext db, long checkInId) => async (unlessVersion, ct) =>
    {
        var c = await db.CheckIns.AsNoTracking().FirstOrDefaultAsync(x => x.Id == checkInId, ct);
        if (c is null || c.Version == unlessVersion) return null;
        var team = await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Key == c.TeamKey, ct);
        return team is null ? null : new RenderedCard(Card(c, team), c.Version);
    };
}

/// <summary>
/// At each hand-off of a team's rotation, asks the outgoing primary on-call to check in. Runs every few minutes; the
/// check-in row (one per team and shift) is the claim, and its card is posted once, so reruns, restarts and two hosts ask once.
/// A hand-off longer ago than <see cref="Lookback"/> (the bot was down) is not asked about.
/// </summary>
public sealed class CheckInPrompts(IServiceScopeFactory scopes, LivingCards cards, TimeProvider clock) : IRecurringJob
{
    public static readonly TimeSpan Lookback = TimeSpan.FromHours(12);

    public string Id => "digests.check-ins";

    public RecurringSchedule Schedule { get; } = RecurringSchedule.Every(TimeSpan.FromMinutes(5));

    public bool Enabled => true;

    public async Task RunAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var now = clock.GetUtcNow();
        foreach (var team in await db.Teams.AsNoTracking().ToListAsync(ct))
        {
            if (LastHandoff(team, now) is not { } ended || ended.Primary is not { } outgoing) continue;
            var checkIn = await EnsureAsync(db, team, ended, outgoing, now, ct);
            if (await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Key == outgoing, ct) is not { } person) continue;
            await cards.PostOnceAsync(db, CheckInMessages.Subject(checkIn.Id), CheckInMessages.Purpose, cards.PersonTargets(person),
                CheckInMessages.Renderer(db, checkIn.Id), ct);
        }
    }

    /// <summary>The shift that ended at the latest hand-off, if that was within <see cref="Lookback"/> of <paramref name="now"/>.</summary>
    public static OnCallSchedule.Shift? LastHandoff(Team team, DateTimeOffset now)
    {
        if (team.OnCall.Members.Count == 0) return null;
        var current = OnCallSchedule.At(team, now);
        if (now < current.StartsAt || now - current.StartsAt > Lookback) return null;
        var ended = OnCallSchedule.At(team, current.StartsAt.AddTicks(-1));
        // Before the rotation's first shift there is no hand-off to ask about.
        return ended.EndsAt == current.StartsAt ? ended : null;
    }

    private static async Task<CheckIn> EnsureAsync(BotDbContext db, Team team, OnCallSchedule.Shift shift, string person, DateTimeOffset now, CancellationToken ct)
    {
        // Stored in UTC, as every time is (the rotation gives local offsets).
        var (started, ended) = (shift.StartsAt.ToUniversalTime(), shift.EndsAt.ToUniversalTime());
        var checkIns = db.CheckIns;
        if (await checkIns.FirstOrDefaultAsync(c => c.TeamKey == team.Key && c.ShiftEndedAt == ended, ct) is { } existing) return existing;
        var row = new CheckIn { TeamKey = team.Key, PersonKey = person, ShiftStartedAt = started, ShiftEndedAt = ended, AskedAt = now };
        checkIns.Add(row);
        try
        {
            await db.SaveChangesAsync(ct);
            return row;
        }
        catch (DbUpdateException)
        {
            // Another host asked first: theirs is the one.
            db.ChangeTracker.Clear();
            return await checkIns.FirstAsync(c => c.TeamKey == team.Key && c.ShiftEndedAt == ended, ct);
        }
    }
}

/// <summary>Opening and answering a check-in; only the person asked may answer it.</summary>
public sealed class CheckInAnswers(LivingCards cards)
{
    public async Task OpenAsync(Turn turn, string value, CancellationToken ct)
    {
        if (await MineAsync(turn, value, ct) is { } c) await turn.OpenFormAsync(CheckInForms.Form(c), ct);
    }

    public async Task<FormResult> SubmitAsync(Turn turn, FormSubmission submission, CancellationToken ct)
    {
        if (await MineAsync(turn, submission.PrivateState, ct) is not { } c) return FormResult.Accepted;
        var errors = new Dictionary<string, string>();
        var load = int.TryParse(submission.Value("load"), NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l is >= 1 and <= 5 ? l : (int?)null;
        if (load is null) errors["load"] = "Pick how heavy the shift was, 1 to 5.";
        var sleep = submission.Value("sleep") switch { "yes" => true, "no" => false, _ => (bool?)null };
        if (sleep is null) errors["sleep"] = "Say whether your sleep was interrupted.";
        var hurt = submission.Value("hurt");
        if (hurt is { Length: > CheckInForms.WhatHurtMax }) errors["hurt"] = $"At most {CheckInForms.WhatHurtMax} characters.";
        if (errors.Count > 0) return FormResult.Invalid(errors);

        c.Load = load;
        c.SleepInterrupted = sleep;
        c.WhatHurt = hurt;
        c.Shared = c.WhatHurt is not null && submission.Value("share") == "true";
        c.AnsweredAt ??= turn.Now;
        await turn.Db.SaveChangesAsync(ct);
        await cards.RefreshAsync(turn.Db, CheckInMessages.Subject(c.Id), CheckInMessages.Purpose, CheckInMessages.Renderer(turn.Db, c.Id), ct);
        return FormResult.Accepted;
    }

    private static async Task<CheckIn?> MineAsync(Turn turn, string? value, CancellationToken ct)
    {
        var id = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
        var checkIns = turn.Db.CheckIns;
        var c = await checkIns.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is not null && c.PersonKey == turn.Person?.Key) return c;
        await turn.ReplyPrivatelyAsync(Message.Text(c is null
            ? "That check-in is gone."
            : "This check-in belongs to whoever was on call for that shift; only they can answer it."), ct);
        return null;
    }
}
