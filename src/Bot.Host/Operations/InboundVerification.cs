using Bot.Core.Inbound;

namespace Bot.Host.Operations;

/// <summary>Endpoint metadata the verified group adds, so a test can prove every verified endpoint is mapped under it.</summary>
public sealed record InboundFilterApplied;

/// <summary>
/// The one endpoint filter every inbound adapter goes through (Slack, Teams, SNS, EventBridge, the signed webhooks):
/// the body is read within the verifier's limit (413 otherwise), verified and parsed by the endpoint's
/// <see cref="VerifiedBy"/> verifier, and refusals are answered as ProblemDetails before any handler runs.
/// </summary>
public static class InboundVerification
{
    public static RouteGroupBuilder MapVerifiedInbound(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("");
        group.AddEndpointFilterFactory((_, next) => Filter(next));
        group.WithMetadata(new InboundFilterApplied());
        return group;
    }

    private static EndpointFilterDelegate Filter(EndpointFilterDelegate next) =>
        async invocation =>
        {
            var http = invocation.HttpContext;
            // The endpoint names its verifier; an endpoint in the group without one (none today) runs as mapped.
            if (http.GetEndpoint()?.Metadata.GetMetadata<VerifiedBy>() is not { } verifiedBy) return await next(invocation);
            var verifier = (IInboundVerifier)http.RequestServices.GetRequiredService(verifiedBy.Verifier);
            var limit = verifier.MaxBodyBytes;
            var body = http.Request.ContentLength > limit ? null : await InboundBody.ReadAsync(http.Request.Body, limit, http.RequestAborted);
            if (body is null) return Results.Problem(title: $"The body is larger than {limit} bytes", statusCode: StatusCodes.Status413PayloadTooLarge);
            var headers = http.Request.Headers;
            var verdict = await verifier.VerifyAsync(
                new InboundRequest(body.Value, http.Request.ContentType, name => headers.TryGetValue(name, out var v) && v.Count > 0 ? v.ToString() : null),
                http.RequestAborted);
            switch (verdict)
            {
                case InboundVerdict.Accepted accepted:
                    VerifiedBy.Keep(http.Items, accepted.Payload);
                    return await next(invocation);
                case InboundVerdict.Answered answered:
                    return Results.StatusCode(answered.Status);
                case InboundVerdict.Refused refused:
                    if (refused.Status == StatusCodes.Status503ServiceUnavailable) http.Response.Headers.RetryAfter = "5";
                    return Results.Problem(title: refused.Title, statusCode: refused.Status,
                        extensions: refused.Problems is { Count: > 0 } problems ? new Dictionary<string, object?> { ["problems"] = problems } : null);
                default:
                    throw new InvalidOperationException($"Unknown verdict {verdict.GetType().Name}.");
            }
        };
}
