using Bot.Core.Features.Digests;
using Bot.Core.Storage;

namespace Bot.Host.Webhooks;

/// <summary>
/// <c>GET /charts/{id}.png</c>: a digest's 8-week chart, for Slack and Teams to fetch by URL. The id is signed and
/// expires; a wrong, tampered, expired or unknown one is a 404, as for something that does not exist.
/// </summary>
public static class ChartEndpoint
{
    public static IEndpointRouteBuilder MapCharts(this IEndpointRouteBuilder app)
    {
        app.MapGet("/charts/{id}.png", AnswerAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> AnswerAsync(string id, DigestCharts charts, BotDbContext db, HttpContext http, CancellationToken ct)
    {
        if (id.Length > 600 || await charts.RenderAsync(db, id, ct) is not { } png) return Results.NotFound();
        http.Response.Headers.CacheControl = "private, max-age=3600";
        return Results.File(png, "image/png");
    }
}
