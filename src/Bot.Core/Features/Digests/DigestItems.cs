using System.Globalization;
using Bot.Core.Cards;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Features.Escalation;
using Bot.Core.Features.Experiments;
using Bot.Core.Features.Incidents;
using Bot.Core.Features.Reviews;
using Bot.Core.Flows;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Features.Digests;

/// <summary>A worth-a-look item chosen by a rule (<see cref="DigestItems"/> names the rules).</summary>
public sealed record WorthItem(string Rule, string Text, long Id = 0);

/// <summary>Last week's item and what managers did with it.</summary>
public sealed record AnsweredItem(string Text, IReadOnlyList<(string Name, DigestResponseKind Kind)> Responses);

/// <summary>
/// The sponsorship loop (OPS03 BP01): each worth-a-look item is kept per team and week, managers answer it with
/// <i>Sponsor</i>, <i>Unblock — I'll follow up</i> or <i>Seen</i>, the team channel hears a sponsorship or a promise to
/// unblock, and the next digest says what leadership did with last week's items.
/// </summary>
public sealed class DigestItems(LivingCards cards)
{
    public const string OverdueReviews = "overdue-reviews";
    public const string AwaitingApproval = "awaiting-approval";
    public const string Mttr = "mttr";
    public const string OverdueActions = "overdue-actions";
    public const string SlowAcknowledgements = "slow-ack";
    public const string RecurringFactor = "recurring-factor";

    public static readonly ActionId Sponsor = ActionId.Of(DigestAction.Sponsor);
    public static readonly ActionId Unblock = ActionId.Of(DigestAction.Unblock);
    public static readonly ActionId Seen = ActionId.Of(DigestAction.Seen);
    public static readonly ActionId List = ActionId.Of(DigestAction.List);

    /// <summary>
    /// Keeps the week's items (one per rule; the newest wording wins) in one save, and returns them with their ids.
    /// The <paramref name="final"/> digest of a week also drops what a preview during the week kept and the week did not
    /// end with, unless a manager answered it already: last week's items are what was sent, or acted on.
    /// </summary>
    public static async Task<IReadOnlyList<WorthItem>> SaveAsync(BotDbContext db, string teamKey, long weekKey, IReadOnlyList<WorthItem> items,
        DateTimeOffset now, CancellationToken ct, bool final = false)
    {
        if (items.Count == 0 && !final) return [];
        for (var attempt = 0; ; attempt++)
        {
            var rows = db.DigestItems;
            var existing = await rows.Where(i => i.TeamKey == teamKey && i.WeekKey == weekKey).ToDictionaryAsync(i => i.Rule, ct);
            if (final)
            {
                var rules = items.Select(i => i.Rule).ToHashSet(StringComparer.Ordinal);
                var stale = existing.Values.Where(i => !rules.Contains(i.Rule)).Select(i => i.Id).ToArray();
                var unanswered = stale.Length == 0 ? []
                    : await rows.Where(i => stale.Contains(i.Id) && !i.Responses.Any()).Select(i => i.Id).ToListAsync(ct);
                foreach (var row in existing.Values.Where(i => unanswered.Contains(i.Id))) rows.Remove(row);
            }
            var kept = items.Select(item =>
            {
                if (!existing.TryGetValue(item.Rule, out var row))
                    rows.Add(row = new DigestItem { TeamKey = teamKey, WeekKey = weekKey, Rule = item.Rule, CreatedAt = now });
                row.Text = item.Text;
                return (item, row);
            }).ToArray();
            try
            {
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
                return kept.Select(k => k.item with { Id = k.row.Id }).ToArray();
            }
            catch (DbUpdateException) when (attempt < 2)
            {
                // Another host kept the same items a moment ago: take theirs.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>The items of the week <paramref name="weekKey"/> with every manager's answer.</summary>
    public static async Task<IReadOnlyList<AnsweredItem>> AnsweredAsync(BotDbContext db, string teamKey, long weekKey, CancellationToken ct) =>
        (await db.DigestItems.AsNoTracking().Where(i => i.TeamKey == teamKey && i.WeekKey == weekKey).OrderBy(i => i.Id)
            .Select(i => new { i.Text, Responses = i.Responses.OrderBy(r => r.At).Select(r => new { r.PersonName, r.Kind }).ToList() })
            .ToListAsync(ct))
        .Select(i => new AnsweredItem(i.Text, i.Responses.Select(r => (r.PersonName, r.Kind)).ToArray())).ToArray();

    /// <summary>A manager answered an item. Only the team's managers may; each answer counts once per person and kind.</summary>
    public async Task RespondAsync(Turn turn, DigestResponseKind kind, string value, CancellationToken ct)
    {
        if (await ManagedItemAsync(turn, value, ct) is not var (item, team, me)) return;
        var responses = turn.Db.DigestResponses;
        var response = await responses.AsNoTracking().FirstOrDefaultAsync(r => r.ItemId == item.Id && r.PersonKey == me.Key && r.Kind == kind, ct);
        var again = response is not null;
        if (response is null)
        {
            responses.Add(response = new DigestResponse { ItemId = item.Id, PersonKey = me.Key, PersonName = me.Name, Kind = kind, At = turn.Now });
            try
            {
                await turn.Db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // The same click, delivered twice at once: the first one counts and tells the team.
                return;
            }
        }
        if (kind != DigestResponseKind.Seen)
        {
            // Posted once per answer, also when an earlier attempt stopped between recording and telling the team.
            var words = kind == DigestResponseKind.Sponsor ? $"🙌 {me.Name} is sponsoring this" : $"🛠 {me.Name} will follow up to unblock this";
            var message = Message.Build($"{words}: {item.Text}").Text($"*{words}*\n{item.Text}")
                .Context("From this week's culture-health digest. Leaders back what they can see.").Done();
            await cards.PostOnceAsync(turn.Db, new CardSubject("digest-response", response.Id), "team", await cards.TeamTargetsAsync(turn.Db, team.Key, ct),
                RenderedCard.Fixed(message), ct);
        }
        if (again)
        {
            await turn.ReplyPrivatelyAsync(Message.Text("Already recorded. Thank you."), ct);
            return;
        }
        await turn.ReplyPrivatelyAsync(Message.Text(kind switch
        {
            DigestResponseKind.Sponsor => "Recorded: you sponsor it. The team channel heard it, and next week's digest will show it.",
            DigestResponseKind.Unblock => "Recorded: you will follow up. The team channel heard it, and next week's digest will show it.",
            _ => "Marked as seen; next week's digest will show it.",
        }), ct);
    }

    /// <summary>The records behind an item, for the team's managers.</summary>
    public async Task ListAsync(Turn turn, string value, CancellationToken ct)
    {
        if (await ManagedItemAsync(turn, value, ct) is not var (item, team, _)) return;
        var week = DigestWeeks.FromKey(item.WeekKey, team.TimeZone);
        IReadOnlyList<string> lines = item.Rule switch
        {
            OverdueReviews => await ReviewFacts.OverdueListAsync(turn.Db, team.Key, turn.Now, ct),
            OverdueActions => await ReviewFacts.OverdueActionItemsAsync(turn.Db, team.Key, TimeZones.LocalDate(turn.Now, team.TimeZone), ct),
            AwaitingApproval => await ExperimentFacts.AwaitingApprovalListAsync(turn.Db, team.Key, ct),
            Mttr => await IncidentFacts.SlowestRecoveredAsync(turn.Db, team.Key, week.From, week.To, ct),
            SlowAcknowledgements => await EscalationFacts.SlowestAcknowledgedAsync(turn.Db, team.Key, week.From, week.To, ct),
            RecurringFactor when Tag(item.Text) is { } tag =>
                await ReviewFacts.NamingFactorAsync(turn.Db, team.Key, tag, DigestWeeks.Preceding(week, team.TimeZone, 7).Last().From, week.To, ct),
            _ => [],
        };
        await turn.ReplyPrivatelyAsync(Message.Text(lines.Count == 0
            ? $"Nothing is listed behind this item now.\n_{item.Text}_"
            : $"*{item.Text}*\n" + string.Join("\n", lines.Select(l => "• " + l))), ct);
    }

    /// <summary>The tag a recurring-factor item names, in its opening quotes.</summary>
    private static string? Tag(string text) => text.StartsWith('"') && text.IndexOf('"', 1) is > 1 and var end ? text[1..end] : null;

    private static async Task<(DigestItem, Team, Person)?> ManagedItemAsync(Turn turn, string value, CancellationToken ct)
    {
        var id = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
        var item = await turn.Db.DigestItems.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct);
        var team = item is null ? null : await turn.Db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Key == item.TeamKey, ct);
        if (item is not null && team is not null && turn.Person is { } me && team.Managers.Contains(me.Key)) return (item, team, me);
        await turn.ReplyPrivatelyAsync(Message.Text(item is null
            ? "That digest item is gone."
            : "Only the team's managers answer its digest items. `/digest` shows you your team's summary."), ct);
        return null;
    }
}
