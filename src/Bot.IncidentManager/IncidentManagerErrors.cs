using System.Net;

namespace Bot.IncidentManager;

/// <summary>
/// An error answer of the <c>ssm-incidents</c> API (rest-json): the error code from <c>x-amzn-ErrorType</c>, else the
/// body's <c>code</c> or <c>__type</c>, and its message. <see cref="PlainWords"/> is what a person in chat is told.
/// </summary>
public class IncidentManagerException(string code, string message, HttpStatusCode status, string? requestId)
    : Exception($"{code}: {message}")
{
    public string Code { get; } = code;
    public string ServiceMessage { get; } = message;
    public HttpStatusCode Status { get; } = status;
    public string? RequestId { get; } = requestId;

    public virtual string PlainWords => $"Incident Manager refused the request ({Code}): {ServiceMessage}";

    internal static IncidentManagerException For(string code, string message, HttpStatusCode status, string? requestId) => code switch
    {
        "ValidationException" => new IncidentManagerValidationException(message, status, requestId),
        "AccessDeniedException" => new IncidentManagerAccessDeniedException(message, status, requestId),
        "ResourceNotFoundException" => new IncidentManagerNotFoundException(message, status, requestId),
        "ConflictException" => new IncidentManagerConflictException(message, status, requestId),
        "ServiceQuotaExceededException" => new IncidentManagerQuotaException(message, status, requestId),
        "ThrottlingException" => new IncidentManagerThrottlingException(message, status, requestId),
        "InternalServerException" => new IncidentManagerInternalException(message, status, requestId),
        _ => new IncidentManagerException(code, message, status, requestId),
    };
}

public sealed class IncidentManagerValidationException(string message, HttpStatusCode status, string? requestId)
    : IncidentManagerException("ValidationException", message, status, requestId)
{
    public override string PlainWords => $"Incident Manager did not accept the request: {ServiceMessage}";
}

public sealed class IncidentManagerAccessDeniedException(string message, HttpStatusCode status, string? requestId)
    : IncidentManagerException("AccessDeniedException", message, status, requestId)
{
    public override string PlainWords => "The bot is not allowed to do that in Incident Manager; its IAM role needs the permission (see the README's AWS set-up).";
}

public sealed class IncidentManagerNotFoundException(string message, HttpStatusCode status, string? requestId)
    : IncidentManagerException("ResourceNotFoundException", message, status, requestId)
{
    public override string PlainWords => $"Incident Manager does not know that incident or response plan: {ServiceMessage}";
}

public sealed class IncidentManagerConflictException(string message, HttpStatusCode status, string? requestId)
    : IncidentManagerException("ConflictException", message, status, requestId);

public sealed class IncidentManagerQuotaException(string message, HttpStatusCode status, string? requestId)
    : IncidentManagerException("ServiceQuotaExceededException", message, status, requestId)
{
    public override string PlainWords => "Incident Manager's quota for this account is used up; ask an AWS administrator.";
}

public sealed class IncidentManagerThrottlingException(string message, HttpStatusCode status, string? requestId)
    : IncidentManagerException("ThrottlingException", message, status, requestId)
{
    public override string PlainWords => "Incident Manager is busy right now; try again in a minute.";
}

public sealed class IncidentManagerInternalException(string message, HttpStatusCode status, string? requestId)
    : IncidentManagerException("InternalServerException", message, status, requestId)
{
    public override string PlainWords => "Incident Manager had an internal error; try again in a minute.";
}
