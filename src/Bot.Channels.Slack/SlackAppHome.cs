using System.Text.Json.Nodes;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Features.Escalation;
using Bot.Core.Flows;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Channels.Slack;

/// <summary>The App Home tab: what is open for this person right now, and how to ask for help.</summary>
public sealed class SlackAppHome(BotDbContext db, SlackApiClient api, FlowCatalog catalog, DirectoryCache directory, TimeProvider clock,
    IEnumerable<IHomeSection> sections)
{
    public async Task PublishAsync(string userId, CancellationToken ct)
    {
        var person = await directory.FindAsync(db, SlackChannel.ChannelKind, userId, ct);
        // Team membership lives in JSON columns; the directory is small, so it is filtered here.
        var teams = person is null
            ? []
            : (await db.Teams.AsNoTracking().ToListAsync(ct)).Where(t => t.Members.Contains(person.Key) || t.Managers.Contains(person.Key)).ToList();
        var teamKeys = teams.Select(t => t.Key).ToList();
        var open = await db.Escalations.AsNoTracking()
            .Where(e => e.Status != EscalationStatus.Resolved && (teamKeys.Contains(e.TeamKey) || e.RaisedByUserId == userId))
            .OrderByDescending(e => e.Id).Take(20).ToListAsync(ct);

        var builder = Message.Build("Home").Header(person is null ? "Welcome" : $"Hello {person.Name}");
        if (person is null)
            builder.Text("You are not in the bot's directory yet, so I cannot tell which teams are yours. You can still `/escalate`; ask an admin to add your Slack user id to `Directory:People`.");
        else
            builder.Context(teams.Count == 0 ? "You are not in a team yet." : "Your teams: " + string.Join(", ", teams.Select(t => t.Name)));

        builder.Header("Open escalations");
        var now = clock.GetUtcNow();
        if (open.Count == 0) builder.Text("Nothing open. 🎉");
        foreach (var e in open)
        {
            var team = teams.FirstOrDefault(t => t.Key == e.TeamKey);
            builder.Text($"*{EscalationReference.Of(e.Id)}* {SlackBlockKit.Cut(e.Summary, 200)}\n{EscalationMessages.Status(e)} · {EscalationText.Label(e.Urgency)} · raised by {e.RaisedByName} at {TimeZones.Format(e.RaisedAt, team?.TimeZone ?? person?.TimeZone, now)}");
        }
        var blocks = new List<Block>(builder.Done().Blocks);
        if (person is not null)
        {
            foreach (var section in sections)
            {
                if (await section.RenderAsync(db, person, now, ct) is { } part) blocks.AddRange(part.Blocks);
            }
        }
        builder = Message.Build("Home");
        builder.Header("Commands");
        builder.Text(string.Join("\n", catalog.Flows.Select(f => $"`{f.Info.Usage}`: {f.Info.Description}")));

        blocks.AddRange(builder.Done().Blocks);
        var (rendered, _) = SlackBlockKit.Render(new Message(blocks, "Home"));
        while (rendered.Count > SlackBlockKit.MaxModalBlocks) rendered.RemoveAt(rendered.Count - 1);
        await api.PublishHomeAsync(userId, new JsonObject { ["type"] = "home", ["blocks"] = rendered }, ct);
    }
}
