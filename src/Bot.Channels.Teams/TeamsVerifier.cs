using Bot.Core.Inbound;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Channels.Teams;

/// <summary>
/// A Bot Framework activity: the bearer token is checked against the activity's channel and service URL (the only
/// fields read before it), then the activity must name itself and its conversation, from a tenant the bot serves.
/// Refusals say nothing about the token.
/// </summary>
public sealed partial class TeamsVerifier(BotFrameworkTokenValidator validator, IOptions<TeamsOptions> options, ILogger<TeamsVerifier> logger) : IInboundVerifier
{
    public int MaxBodyBytes => options.Value.MaxBodyBytes;

    public async ValueTask<InboundVerdict> VerifyAsync(InboundRequest request, CancellationToken ct)
    {
        var activity = TeamsActivity.Parse(request.Body.Span);
        var check = await validator.ValidateAsync(request.Header("Authorization"), activity?.ChannelId, activity?.ServiceUrl, ct);
        if (!check.Valid)
        {
            LogRejected(logger, check.Reason ?? "invalid");
            return new InboundVerdict.Refused(StatusCodes.Status401Unauthorized, "The request could not be authenticated");
        }
        if (activity is null || activity.ConversationId is null || activity.ServiceUrl is null || activity.Id is null)
            return new InboundVerdict.Refused(StatusCodes.Status400BadRequest, "The activity has no id, conversation or service URL");
        if (!options.Value.AcceptsTenant(activity.TenantId))
        {
            LogRejected(logger, "tenant not allowed");
            return new InboundVerdict.Refused(StatusCodes.Status403Forbidden, "The bot does not serve this tenant");
        }
        return new InboundVerdict.Accepted(activity);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected an activity: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);
}
