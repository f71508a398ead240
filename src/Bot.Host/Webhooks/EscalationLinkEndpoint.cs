using System.Globalization;
using System.Net;
using Bot.Core.Cards;
using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Features.Escalation;
using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Host.Webhooks;

/// <summary>
/// <c>GET /go/escalations/{id}?sig=…</c>, the link an incident tool keeps back to the escalation: it sends people to
/// the message in chat where the platform has a link for it, and otherwise shows where the escalation stands.
/// A wrong or missing signature is a 404, as for an escalation that does not exist.
/// </summary>
public static class EscalationLinkEndpoint
{
    public static IEndpointRouteBuilder MapEscalationLinks(this IEndpointRouteBuilder app)
    {
        app.MapGet("/go/escalations/{id:long}", GoAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> GoAsync(long id, string? sig, EscalationLinks links, BotDbContext db, ChannelRegistry channels, LivingCards cards,
        CancellationToken ct)
    {
        if (!await links.VerifyAsync(id, sig, ct)) return Results.NotFound();
        var e = await db.Escalations.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (e is null) return Results.NotFound();
        var posted = (await cards.FindAsync(db, EscalationReminders.CardOf(e.Id), LivingCards.Card, ct)).FirstOrDefault();
        if (posted is not null && channels.Find(posted.Channel)?.LinkTo(posted) is { } chat) return Results.Redirect(chat);
        var team = await db.Teams.AsNoTracking().Where(t => t.Key == e.TeamKey).Select(t => t.Name).FirstOrDefaultAsync(ct) ?? e.TeamKey;
        string H(string? text) => WebUtility.HtmlEncode(text ?? "");
        var html = $$"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Escalation {{EscalationReference.Of(e.Id)}}</title>
            <style>body { font: 15px system-ui, sans-serif; max-width: 40em; margin: 3em auto; padding: 0 1em } dt { font-weight: 600 }</style></head><body>
            <h1>Escalation {{EscalationReference.Of(e.Id)}}</h1><p>{{H(e.Summary)}}</p><dl>
            <dt>Team</dt><dd>{{H(team)}}</dd><dt>Status</dt><dd>{{H(EscalationMessages.Status(e))}}</dd>
            <dt>Raised by</dt><dd>{{H(e.RaisedByName)}}, {{e.RaisedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}}</dd>
            <dt>Where</dt><dd>In {{H(team)}}'s channel in {{H(e.Channel)}}; the conversation goes on there.</dd></dl></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }
}
