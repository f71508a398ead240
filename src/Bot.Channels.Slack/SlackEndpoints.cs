using Bot.Core.Inbound;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Channels.Slack;

/// <summary>
/// <c>/slack/commands</c>, <c>/slack/interactions</c>, <c>/slack/events</c>: verified by <see cref="SlackVerifier"/> (the host's
/// inbound filter), parsed, and handed to <see cref="SlackInbound"/>. Not mapped in Socket Mode, where nothing inbound is public.
/// </summary>
public static class SlackEndpoints
{
    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IOptions<SlackOptions>>().Value.HttpEnabled) return app;

        var verified = new VerifiedBy(typeof(SlackVerifier));
        app.MapPost("/slack/commands", (Delegate)CommandAsync).WithMetadata(verified).ExcludeFromDescription();
        app.MapPost("/slack/interactions", (Delegate)InteractAsync).WithMetadata(verified).ExcludeFromDescription();
        app.MapPost("/slack/events", (Delegate)EventAsync).WithMetadata(verified).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> CommandAsync(HttpContext http) =>
        Result(await SlackInbound.CommandAsync(http.RequestServices, SlackPayloads.Form(Body(http)), http.RequestAborted));

    private static async Task<IResult> InteractAsync(HttpContext http) =>
        SlackPayloads.Interaction(Body(http)) is { } payload
            ? Result(await SlackInbound.InteractAsync(http.RequestServices, payload, http.RequestAborted))
            : Result(SlackInbound.Answer.NotReadable);

    private static async Task<IResult> EventAsync(HttpContext http)
    {
        var envelope = SlackPayloads.Json(Body(http));
        if (envelope is null) return Result(SlackInbound.Answer.NotReadable);
        // Slack's check of a request URL, which only the HTTP transport has.
        if (envelope.Str("type") == "url_verification") return Results.Text(envelope.Str("challenge") ?? "", "text/plain");
        return Result(await SlackInbound.EventAsync(http.RequestServices, envelope));
    }

    private static ReadOnlySpan<byte> Body(HttpContext http) => VerifiedBy.Payload<ReadOnlyMemory<byte>>(http.Items).Span;

    private static IResult Result(SlackInbound.Answer answer) =>
        answer.Unreadable ? Results.Problem(title: "The request is not a Slack payload the bot can read", statusCode: StatusCodes.Status400BadRequest)
        : answer.Body is null ? Results.Ok()
        : Results.Json(answer.Body);
}
