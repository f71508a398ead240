using Bot.Core.Conversation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Bot.Channels.Slack;

/// <summary>
/// Reads the raw body (within the size limit) and verifies Slack's signature before anything parses it.
/// Failures answer 401 with no detail; the verified bytes are handed to the endpoint.
/// </summary>
public sealed class SlackSignatureFilter(IOptions<SlackOptions> options, TimeProvider clock) : IEndpointFilter
{
    private const string BodyKey = "slack.body";

    public static ReadOnlyMemory<byte> Body(HttpContext context) => (ReadOnlyMemory<byte>)context.Items[BodyKey]!;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var o = options.Value;
        if (http.Request.ContentLength > o.MaxBodyBytes) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);

        var body = await InboundBody.ReadAsync(http.Request.Body, o.MaxBodyBytes, http.RequestAborted);
        if (body is null) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);

        var check = SlackSignature.Verify(o.SigningSecret!, http.Request.Headers["X-Slack-Request-Timestamp"], http.Request.Headers["X-Slack-Signature"],
            body.Value.Span, clock.GetUtcNow(), o.SignatureWindow);
        if (check != SignatureCheck.Valid)
        {
            // Slack's certificate probe carries nothing to act on; answering it needs no trust.
            return SlackPayloads.IsSslCheck(http.Request.ContentType, body.Value.Span) ? Results.Ok() : Results.Unauthorized();
        }
        http.Items[BodyKey] = body.Value;
        return await next(context);
    }
}
