using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Flows;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Features.Digests;

/// <summary>
/// /digest: this week so far, on demand. Managers get their teams' full digest; anyone else their own team's public
/// summary. Nobody sees another team's details.
/// </summary>
public sealed class DigestFlow : IFlow
{
    public FlowInfo Info { get; } = new("digest", "digest", "This week's culture-health digest: the full one for managers, your team's summary for everyone",
        "/digest");

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
        if (managed.Length == 0 && member.Length == 0)
        {
            await turn.ReplyPrivatelyAsync(Message.Text("You are not in a team yet, so there is no digest for you."), ct);
            return;
        }
        foreach (var team in managed.Concat(member))
        {
            var digest = await DigestBuilder.BuildAsync(turn.Db, team, DigestWeeks.Containing(turn.Now, team.TimeZone), soFar: true, ct);
            await turn.ReplyPrivatelyAsync(managed.Contains(team) ? DigestMessages.Full(digest) : DigestMessages.Public(digest), ct);
        }
    }

    public Task OnActionAsync(Turn turn, ButtonAction action, CancellationToken ct) =>
        turn.ReplyPrivatelyAsync(Message.Text("That button is no longer in use."), ct);

    public Task<FormResult> OnSubmitAsync(Turn turn, FormSubmission submission, CancellationToken ct) => Task.FromResult(FormResult.Accepted);
}
