using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;
using Microsoft.Extensions.Options;

namespace Bot.IncidentManager;

/// <summary>Where the AWS credentials come from: the SDK's default chain (environment, web identity, profile/SSO, container, EC2).</summary>
public interface IAwsCredentialsSource
{
    Task<AWSCredentials> GetAsync(CancellationToken ct);
}

public sealed class DefaultAwsCredentialsSource : IAwsCredentialsSource
{
    public Task<AWSCredentials> GetAsync(CancellationToken ct) => DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync();
}

/// <summary>
/// Signs each request with SigV4 (AWSSDK.Core's <see cref="AWSSigV4Signer"/>) for service <c>ssm-incidents</c>. It is
/// the innermost handler, so every retry is signed afresh with the time of that attempt.
/// </summary>
public sealed class SigV4Handler(IAwsCredentialsSource credentials, IOptions<IncidentManagerOptions> options, TimeProvider clock) : DelegatingHandler
{
    public const string Service = "ssm-incidents";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var signing = new AWSSigningRequest { HttpMethod = request.Method, RequestUri = request.RequestUri, Content = body };
        if (request.Content?.Headers.ContentType is { } type) signing.Headers["Content-Type"] = type.ToString();
        var signed = await AWSSigV4Signer.SignAsync(
            signing,
            new AWSSigV4Parameters
            {
                Credentials = await credentials.GetAsync(cancellationToken),
                Region = RegionEndpoint.GetBySystemName(options.Value.Region),
                Service = Service,
                SignedAt = clock.GetUtcNow().UtcDateTime,
            },
            cancellationToken);
        foreach (var header in signed.Headers)
        {
            request.Headers.Remove(header.Key);
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        return await base.SendAsync(request, cancellationToken);
    }
}
