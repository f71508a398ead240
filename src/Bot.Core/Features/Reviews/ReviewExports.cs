using System.Globalization;
using Bot.Core.Cards;
using Bot.Core.Conversation;
using Bot.Core.Features.Incidents;
using Bot.Core.Flows;
using Bot.Core.Storage;
using Microsoft.Extensions.Options;

namespace Bot.Core.Features.Reviews;

/// <summary>
/// Reviews outside chat: <c>/links/reviews/{id}.md</c> is the Markdown export (signed, expiring), and
/// <c>/links/reviews/{id}</c> the lasting link an incident tool keeps, which sends people to the published summary.
/// </summary>
public sealed class ReviewExports(SignedLinks links, LivingCards cards, ChannelRegistry channels, IOptions<ReviewOptions> options) : ILinkTarget
{
    public string Prefix => "reviews";

    private static readonly TimeSpan Lasting = TimeSpan.FromDays(3650);

    public Task<string?> DownloadLinkAsync(long id, CancellationToken ct) =>
        links.LinkAsync(this, id.ToString(CultureInfo.InvariantCulture) + ".md", options.Value.ExportLinkLifetime, ct);

    public Task<string?> PermanentLinkAsync(long id, CancellationToken ct) => links.LinkAsync(this, id.ToString(CultureInfo.InvariantCulture), Lasting, ct);

    public static async Task<string> MarkdownAsync(BotDbContext db, Review review, CancellationToken ct)
    {
        var team = await ReviewStore.TeamAsync(db, review, ct);
        var incident = review.IncidentId is { } id ? await IncidentReadModel.FindAsync(db, id, ct) : null;
        var line = incident is null ? null : $"{incident.Reference} in {incident.SourceName}, impact {incident.ImpactLabel}";
        return ReviewMarkdown.Render(review, team, await ReviewStore.NamesAsync(db, ct), line);
    }

    /// <summary>Answers <c>/review export</c>: the download link, and where the channel takes files, the file itself.</summary>
    public async Task ShareAsync(Turn turn, Review review, CancellationToken ct)
    {
        var reference = ReviewReference.Of(review.Id);
        var link = await DownloadLinkAsync(review.Id, ct);
        var markdown = await MarkdownAsync(turn.Db, review, ct);
        var shared = await turn.Channel.ShareFileAsync(turn.Interaction.Where, turn.Actor.UserId, $"{reference}.md", $"{reference}: {review.Title}", markdown, ct);
        var days = (int)Math.Round(options.Value.ExportLinkLifetime.TotalDays);
        var file = shared ? " The file is also in our direct messages." : "";
        if (link is null)
        {
            await turn.ReplyPrivatelyAsync(Message.Text($"{reference} is exported as Markdown.{file} Download links need `Bot:PublicBaseUrl` to be set."), ct);
            return;
        }
        await turn.ReplyPrivatelyAsync(Message.Build($"{reference} as Markdown: {link}")
            .Text($"{reference} as Markdown, ready to paste into a wiki or a doc. The link works for {days} day{(days == 1 ? "" : "s")}.{file}")
            .Buttons(new Button(ReviewMessages.Download, $"Download {reference}.md", review.Id.ToString(CultureInfo.InvariantCulture), Url: link))
            .Done(), ct);
    }

    public async Task<LinkAnswer?> AnswerAsync(BotDbContext db, string rest, CancellationToken ct)
    {
        var markdown = rest.EndsWith(".md", StringComparison.Ordinal);
        if (!long.TryParse(markdown ? rest[..^3] : rest, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return null;
        if (await ReviewStore.LoadAsync(db, id, ct) is not { } review) return null;
        if (markdown)
            return new LinkAnswer(ContentType: "text/markdown; charset=utf-8", Body: await MarkdownAsync(db, review, ct), FileName: $"{ReviewReference.Of(id)}.md");
        var posted = (await cards.FindAsync(db, ReviewReminders.CardOf(id), ReviewReminders.SummaryPurpose, ct)).FirstOrDefault();
        if (posted is not null && channels.Find(posted.Channel)?.LinkTo(posted) is { } chat) return new LinkAnswer(RedirectTo: chat);
        // A lasting link shows no content: the review itself is read in chat, or exported with an expiring link.
        var team = await ReviewStore.TeamAsync(db, review, ct);
        return new LinkAnswer(ContentType: "text/plain; charset=utf-8",
            Body: $"{ReviewReference.Of(id)} is a blameless post-incident review by {team.Name} ({ReviewText.Progress(review)}). " +
                  $"Read it in chat with /review show {ReviewReference.Of(id)}, or ask {team.Name} for an export.");
    }
}
