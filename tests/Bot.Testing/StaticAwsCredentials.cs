using Amazon.Runtime;
using Bot.IncidentManager;

namespace Bot.Testing;

/// <summary>The fake <c>ssm-incidents</c> endpoint's key pair, in place of the default chain (environment, profile, instance role).</summary>
public sealed class StaticAwsCredentials : IAwsCredentialsSource
{
    public Task<AWSCredentials> GetAsync(CancellationToken ct) =>
        Task.FromResult<AWSCredentials>(new BasicAWSCredentials(FakeSsmIncidents.AccessKey, FakeSsmIncidents.SecretKey));
}
