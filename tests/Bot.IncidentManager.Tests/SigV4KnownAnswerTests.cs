using System.Text;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using Bot.Testing;

namespace Bot.IncidentManager.Tests;

/// <summary>
/// The three published vectors (credentials AKIDEXAMPLE, us-east-1, 2015-08-30T12:36:00Z): AWSSDK.Core's signer, which
/// the client uses, and the fake endpoint's own verifier must both produce them, so each checks the other.
/// </summary>
public sealed class SigV4KnownAnswerTests
{
    private static readonly DateTime SignedAt = new(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc);

    public static TheoryData<string, string, string?, string, string, string> Vectors => new()
    {
        { "GET", "https://example.amazonaws.com/", null, "service", "host;x-amz-content-sha256;x-amz-date",
            "726c5c4879a6b4ccbbd3b24edbd6b8826d34f87450fbbf4e85546fc7ba9c1642" },
        { "POST", "https://ssm-incidents.us-east-1.amazonaws.com/listResponsePlans", "{}", "ssm-incidents", "content-type;host;x-amz-content-sha256;x-amz-date",
            "8cd7029e7cc04755f2973fdbbb39d19051445f9146f4af59584dcc160a6535ae" },
        { "GET", "https://ssm-incidents.us-east-1.amazonaws.com/getIncidentRecord?arn=" +
            Uri.EscapeDataString("arn:aws:ssm-incidents::111122223333:incident-record/Example-Response-Plan/6ebcc812-85f5-b7eb-8b2f-283e4d844308"),
            null, "ssm-incidents", "host;x-amz-content-sha256;x-amz-date", "96190ededc1522e911a54dc2a23fb1d5652a5b23e815971da8592d25063edd44" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public async Task AwsSigner_ProducesThePublishedSignature(string method, string url, string? body, string service, string signedHeaders, string signature)
    {
        var request = new AWSSigningRequest { HttpMethod = new HttpMethod(method), RequestUri = new Uri(url), Content = body is null ? [] : Encoding.UTF8.GetBytes(body) };
        if (body is not null) request.Headers["Content-Type"] = "application/json";
        var result = await AWSSigV4Signer.SignAsync(request, new AWSSigV4Parameters
        {
            Credentials = new BasicAWSCredentials(FakeSsmIncidents.AccessKey, FakeSsmIncidents.SecretKey),
            Region = RegionEndpoint.USEast1,
            Service = service,
            SignedAt = SignedAt,
        }, CancellationToken.None);
        var authorization = result.Headers["Authorization"];
        Assert.Contains($"SignedHeaders={signedHeaders}", authorization);
        Assert.EndsWith($"Signature={signature}", authorization);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void FakesOwnVerifier_ProducesThePublishedSignature(string method, string url, string? body, string service, string signedHeaders, string signature)
    {
        var uri = new Uri(url);
        var bytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        var headers = new Dictionary<string, string>
        {
            ["host"] = uri.Host,
            ["x-amz-date"] = "20150830T123600Z",
            ["x-amz-content-sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)),
        };
        if (body is not null) headers["content-type"] = "application/json";
        var request = new SigV4Verifier.Request(method, uri.AbsolutePath, uri.Query, headers, bytes);
        Assert.Equal(signature, SigV4Verifier.Signature(request, signedHeaders.Split(';'), "20150830T123600Z", "us-east-1", service, FakeSsmIncidents.SecretKey));
    }
}
