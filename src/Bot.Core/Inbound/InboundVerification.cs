namespace Bot.Core.Inbound;

/// <summary>What a verifier is given: the raw body (already read within its limit), its content type and the request's headers.</summary>
public sealed record InboundRequest(ReadOnlyMemory<byte> Body, string? ContentType, Func<string, string?> Header);

/// <summary>What a verifier decides about a request, before any handler sees it.</summary>
public abstract record InboundVerdict
{
    /// <summary>Verified and parsed: the handler gets <paramref name="Payload"/>.</summary>
    public sealed record Accepted(object Payload) : InboundVerdict;

    /// <summary>Refused with a 4xx (or a 503 when our side could not check it), answered as ProblemDetails; <paramref name="Title"/> never names a secret.</summary>
    public sealed record Refused(int Status, string Title, IReadOnlyList<string>? Problems = null) : InboundVerdict;

    /// <summary>Answered without the handler, e.g. a platform's reachability probe that carries nothing to act on.</summary>
    public sealed record Answered(int Status) : InboundVerdict;
}

/// <summary>
/// Verifies, then parses, what one inbound endpoint receives (a Slack request, a Bot Framework activity, an SNS
/// message, an EventBridge event, a signed webhook). The host runs every verifier the same way: bounded body,
/// verify, parse, then the handler; nothing parses a body before its verifier has accepted it.
/// </summary>
public interface IInboundVerifier
{
    int MaxBodyBytes { get; }

    ValueTask<InboundVerdict> VerifyAsync(InboundRequest request, CancellationToken ct);
}

/// <summary>Endpoint metadata: requests to the endpoint go through <paramref name="Verifier"/> (an <see cref="IInboundVerifier"/> in DI) first.</summary>
public sealed record VerifiedBy(Type Verifier)
{
    private const string PayloadKey = "bot.inbound.payload";

    /// <summary>Where the host keeps the accepted payload for the handler (the request's items).</summary>
    public static void Keep(IDictionary<object, object?> items, object payload) => items[PayloadKey] = payload;

    /// <summary>The accepted payload; throws when the request was not verified, so an endpoint mapped without the filter fails closed.</summary>
    public static T Payload<T>(IDictionary<object, object?> items) where T : notnull =>
        items.TryGetValue(PayloadKey, out var payload) && payload is T typed
            ? typed
            : throw new InvalidOperationException("This endpoint's request was not verified; map it under the host's verified inbound group.");
}
