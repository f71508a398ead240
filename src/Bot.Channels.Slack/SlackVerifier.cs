using Bot.Core.Inbound;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Bot.Channels.Slack;

/// <summary>
/// Slack's v0 signature over the raw body, within the signature window; the payload is the verified body.
/// A refusal says nothing about why, and Slack's certificate probe is answered without trusting it.
/// </summary>
public sealed class SlackVerifier(IOptions<SlackOptions> options, TimeProvider clock) : IInboundVerifier
{
    public int MaxBodyBytes => options.Value.MaxBodyBytes;

    public ValueTask<InboundVerdict> VerifyAsync(InboundRequest request, CancellationToken ct)
    {
        var o = options.Value;
        var check = SlackSignature.Verify(o.SigningSecret!, request.Header("X-Slack-Request-Timestamp"), request.Header("X-Slack-Signature"),
            request.Body.Span, clock.GetUtcNow(), o.SignatureWindow);
        if (check == SignatureCheck.Valid) return ValueTask.FromResult<InboundVerdict>(new InboundVerdict.Accepted(request.Body));
        // Slack's certificate probe carries nothing to act on; answering it needs no trust.
        return ValueTask.FromResult<InboundVerdict>(SlackPayloads.IsSslCheck(request.ContentType, request.Body.Span)
            ? new InboundVerdict.Answered(StatusCodes.Status200OK)
            : new InboundVerdict.Refused(StatusCodes.Status401Unauthorized, "The request could not be verified"));
    }
}
