using System.Text;
using Bot.Core;
using Bot.Core.Storage;

namespace Bot.Host.Webhooks;

/// <summary>
/// <c>GET /links/{prefix}/{rest}?exp=…&amp;sig=…</c>: the links features hand out (an exported review). The signature
/// covers the path and the expiry; a wrong, missing or expired one is a 404, as for something that does not exist.
/// </summary>
public static class SignedLinkEndpoint
{
    public static IEndpointRouteBuilder MapSignedLinks(this IEndpointRouteBuilder app)
    {
        app.MapGet("/" + SignedLinks.Root + "{prefix}/{**rest}", AnswerAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> AnswerAsync(string prefix, string rest, string? exp, string? sig, SignedLinks links,
        IEnumerable<ILinkTarget> targets, BotDbContext db, CancellationToken ct)
    {
        if (!await links.VerifyAsync(SignedLinks.Root + prefix + "/" + rest, exp, sig, ct)) return Results.NotFound();
        var target = targets.FirstOrDefault(t => string.Equals(t.Prefix, prefix, StringComparison.Ordinal));
        if (target is null || await target.AnswerAsync(db, rest, ct) is not { } answer) return Results.NotFound();
        if (answer.RedirectTo is { } to) return Results.Redirect(to);
        var body = Encoding.UTF8.GetBytes(answer.Body ?? "");
        return answer.FileName is { } name
            ? Results.File(body, answer.ContentType ?? "application/octet-stream", name)
            : Results.Bytes(body, answer.ContentType ?? "text/plain; charset=utf-8");
    }
}
