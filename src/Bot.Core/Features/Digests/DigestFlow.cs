using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Flows;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Features.Digests;

/// <summary>
/// /digest: this week so far, on demand. Managers get their teams' full digest; anyone else their own team's public
/// summary. Nobody sees another team's details.
/// </summary>
public sealed class DigestFlow(CheckInAnswers checkIns, DigestItems items, DigestCharts charts, Ops03Report ops03) : IFlow
{
    public const string Key = "digest";

    public FlowInfo Info { get; } = new(Key, "digest", "This week's culture-health digest: the full one for managers, your team's summary for everyone",
        "/digest [ops03]")
    {
        Ids = new(typeof(DigestAction), typeof(DigestForm)),
    };

    public async Task OnCommandAsync(Turn turn, Command command, CancellationToken ct)
    {
        if (turn.Person is not { } me)
        {
            await turn.ReplyPrivatelyAsync(Message.Text("Digests are per team, and you are not in the bot's directory yet. Ask whoever runs the bot to add you."), ct);
            return;
        }
        var teams = await turn.Db.Teams.AsNoTracking().ToListAsync(ct);
        var managed = teams.Where(t => t.Managers.Contains(me.Key)).ToArray();
        var member = teams.Where(t => !managed.Contains(t) && (t.Members.Contains(me.Key) || t.OnCall.Members.Contains(me.Key))).ToArray();
        if (command.Text.Trim().Equals("ops03", StringComparison.OrdinalIgnoreCase))
        {
            if (managed.Length == 0)
                await turn.ReplyPrivatelyAsync(Message.Text("The OPS03 evidence report is for a team's managers. `/digest` shows you your team's summary."), ct);
            foreach (var team in managed) await ops03.ShareAsync(turn, team, ct);
            return;
        }
        if (managed.Length == 0 && member.Length == 0)
        {
            await turn.ReplyPrivatelyAsync(Message.Text("You are not in a team yet, so there is no digest for you."), ct);
            return;
        }
        foreach (var team in managed.Concat(member))
        {
            var window = DigestWeeks.Containing(turn.Now, team.TimeZone);
            var digest = await DigestBuilder.BuildAsync(turn.Db, team, window, soFar: true, turn.Now, ct, forManagers: managed.Contains(team));
            if (!managed.Contains(team))
            {
                await turn.ReplyPrivatelyAsync(DigestMessages.Public(digest), ct);
                continue;
            }
            var chart = await charts.AddressAsync(team, window, ct);
            await turn.ReplyPrivatelyAsync(DigestMessages.Full(digest with { ChartUrl = chart }), ct);
            if (!DigestCharts.IsPublic(chart))
                await turn.Channel.SendFileAsync(me, DigestMessages.ChartFileName(digest), DigestMessages.ChartTitle(digest),
                    await DigestCharts.RenderAsync(turn.Db, team, window, ct), ct);
        }
    }

    public Task OnActionAsync(Turn turn, ButtonAction action, CancellationToken ct) =>
        !action.ActionId.Is(out DigestAction which) ? Task.CompletedTask : which switch
        {
            DigestAction.OpenCheckIn => checkIns.OpenAsync(turn, action.Value, ct),
            DigestAction.Sponsor => items.RespondAsync(turn, DigestResponseKind.Sponsor, action.Value, ct),
            DigestAction.Unblock => items.RespondAsync(turn, DigestResponseKind.Unblock, action.Value, ct),
            DigestAction.Seen => items.RespondAsync(turn, DigestResponseKind.Seen, action.Value, ct),
            DigestAction.List => items.ListAsync(turn, action.Value, ct),
            _ => Task.CompletedTask, // the download link button: the platform opened the page
        };

    public Task<FormResult> OnSubmitAsync(Turn turn, FormSubmission submission, CancellationToken ct) =>
        submission.FormId.Is(out DigestForm _) ? checkIns.SubmitAsync(turn, submission, ct) : Task.FromResult(FormResult.Accepted);
}
