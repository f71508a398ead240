using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.IncidentManager.Tests;

/// <summary>
/// SNS deliveries signed in the test with a locally generated certificate, served from a loopback URL that only this
/// test's configuration allows.
/// </summary>
public sealed class SnsMessageVerifierTests : IAsyncLifetime
{
    private const string Topic = "arn:aws:sns:us-east-1:111122223333:incident-manager";
    private readonly RSA _key = RSA.Create(2048);
    private WebApplication _certServer = null!;
    private Uri _certUrl = null!;
    private int _fetches;
    private readonly Recorder _requests = new();

    /// <summary>Sees every request the verifier's HTTP client makes, wherever it would go.</summary>
    private sealed class Recorder : DelegatingHandler
    {
        public int Count;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Count);
            return base.SendAsync(request, cancellationToken);
        }
    }
    private ServiceProvider _services = null!;
    private SnsMessageVerifier _verifier = null!;

    public async Task InitializeAsync()
    {
        var request = new CertificateRequest("CN=sns.us-east-1.amazonaws.com", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var pem = certificate.ExportCertificatePem();
        using var otherKey = RSA.Create(2048);
        using var other = new CertificateRequest("CN=sns.us-east-1.amazonaws.com", otherKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var otherPem = other.ExportCertificatePem();
        var (app, address) = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/SimpleNotificationService-test.pem", () =>
            {
                Interlocked.Increment(ref _fetches);
                return Results.Text(pem, "application/x-pem-file");
            });
            // Real certificates at other paths, that verify nothing of ours (an old, rotated AWS certificate, say).
            app.MapGet("/other-{n}.pem", (int n) => Results.Text(otherPem, "application/x-pem-file"));
        });
        _certServer = app;
        _certUrl = new Uri(address, "SimpleNotificationService-test.pem");
        _services = IncidentManagerServices.Build(new Dictionary<string, string?>
        {
            ["IncidentManager:Region"] = "us-east-1",
            ["IncidentManager:SnsTopicArns:0"] = Topic,
            ["IncidentManager:SnsExtraCertificateHosts:0"] = _certUrl.Authority,
        }, configure: services => services.AddHttpClient(nameof(SnsMessageVerifier)).AddHttpMessageHandler(() => _requests));
        _verifier = _services.GetRequiredService<SnsMessageVerifier>();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _certServer.DisposeAsync();
        _key.Dispose();
    }

    private JsonObject Notification(string version = "1", string? subject = "Incident update", Uri? certUrl = null)
    {
        var message = new JsonObject
        {
            ["Type"] = "Notification", ["MessageId"] = "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324", ["TopicArn"] = Topic,
            ["Message"] = """{"arn":"arn:aws:ssm-incidents::111122223333:incident-record/payments/6ebcc812"}""",
            ["Timestamp"] = "2026-11-23T10:00:00.000Z", ["SignatureVersion"] = version,
            ["SigningCertURL"] = (certUrl ?? _certUrl).AbsoluteUri, ["UnsubscribeURL"] = "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe",
        };
        if (subject is not null) message["Subject"] = subject;
        // The string to sign, written out here as AWS documents it (independently of the verifier's own).
        var toSign = $"Message\n{message["Message"]}\nMessageId\n{message["MessageId"]}\n" + (subject is null ? "" : $"Subject\n{subject}\n")
                     + $"Timestamp\n{message["Timestamp"]}\nTopicArn\n{Topic}\nType\nNotification\n";
        message["Signature"] = Sign(toSign, version == "2" ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA1);
        return message;
    }

    private string Sign(string text, HashAlgorithmName algorithm) => Convert.ToBase64String(_key.SignData(Encoding.UTF8.GetBytes(text), algorithm, RSASignaturePadding.Pkcs1));

    private Task<SnsCheck> VerifyAsync(JsonObject message) => _verifier.VerifyAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), CancellationToken.None);

    [Theory]
    [InlineData("1", "Incident update")]
    [InlineData("2", "Incident update")]
    [InlineData("1", null)]
    public async Task SignedNotification_IsValid_AndItsCertificateIsFetchedOnce(string version, string? subject)
    {
        var first = await VerifyAsync(Notification(version, subject));
        Assert.True(first.Valid, first.Reason);
        Assert.True((await VerifyAsync(Notification(version, subject))).Valid);
        Assert.Equal(1, _fetches);
    }

    [Fact]
    public async Task CertificatesThatVerifyNothing_CannotPushTheGoodOneOutOfTheCache()
    {
        Assert.True((await VerifyAsync(Notification())).Valid);
        for (var n = 0; n < 40; n++)
            Assert.Equal("signature does not match", (await VerifyAsync(Notification(certUrl: new Uri(_certUrl, $"other-{n}.pem")))).Reason);
        Assert.True((await VerifyAsync(Notification())).Valid);
        Assert.Equal(1, _fetches);
    }

    [Fact]
    public async Task SignedSubscriptionConfirmation_IsValid()
    {
        var subscribe = "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + Uri.EscapeDataString(Topic) + "&Token=2336412f37fb";
        var message = new JsonObject
        {
            ["Type"] = "SubscriptionConfirmation", ["MessageId"] = "165545c9-2a5c-472c-8df2-7ff2be2b3b1b", ["Token"] = "2336412f37fb", ["TopicArn"] = Topic,
            ["Message"] = "You have chosen to subscribe to the topic. To confirm the subscription, visit the SubscribeURL included in this message.",
            ["SubscribeURL"] = subscribe, ["Timestamp"] = "2026-11-23T10:00:00.000Z", ["SignatureVersion"] = "1", ["SigningCertURL"] = _certUrl.AbsoluteUri,
        };
        message["Signature"] = Sign($"Message\n{message["Message"]}\nMessageId\n{message["MessageId"]}\nSubscribeURL\n{subscribe}\nTimestamp\n{message["Timestamp"]}\nToken\n2336412f37fb\nTopicArn\n{Topic}\nType\nSubscriptionConfirmation\n",
            HashAlgorithmName.SHA1);
        var check = await VerifyAsync(message);
        Assert.True(check.Valid, check.Reason);
        Assert.Equal(subscribe, check.Message!.SubscribeUrl);

        message["SubscribeURL"] = "https://evil.example.com/?Action=ConfirmSubscription";
        Assert.Equal("subscribe URL not on an AWS SNS host", (await VerifyAsync(message)).Reason);
    }

    [Fact]
    public async Task TamperedMessage_IsRejected()
    {
        var message = Notification();
        message["Message"] = """{"arn":"arn:aws:ssm-incidents::999999999999:incident-record/x/1"}""";
        Assert.Equal("signature does not match", (await VerifyAsync(message)).Reason);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("")]
    public async Task UnknownSignatureVersion_IsRejected(string version)
    {
        var message = Notification();
        message["SignatureVersion"] = version;
        Assert.Equal("unsupported signature version", (await VerifyAsync(message)).Reason);
    }

    [Fact]
    public async Task VersionOneClaimedForASha256Signature_IsRejected()
    {
        var message = Notification("2");
        message["SignatureVersion"] = "1";
        Assert.Equal("signature does not match", (await VerifyAsync(message)).Reason);
    }

    [Theory]
    [InlineData("https://evil.example.com/SimpleNotificationService-x.pem")]
    [InlineData("https://sns.us-east-1.amazonaws.com.evil.example.com/SimpleNotificationService-x.pem")]
    [InlineData("http://sns.us-east-1.amazonaws.com/SimpleNotificationService-x.pem")]
    [InlineData("https://sns.us-east-1.amazonaws.com/not-a-certificate.txt")]
    [InlineData("https://sns.us-east-1.amazonaws.com/SimpleNotificationService-x.pem?v=1")]
    [InlineData("https://user@sns.us-east-1.amazonaws.com/SimpleNotificationService-x.pem")]
    public async Task CertificateUrlNotOnAnAwsSnsHost_IsRejected_WithoutAnyFetch(string url)
    {
        var check = await VerifyAsync(Notification(certUrl: new Uri(url)));
        Assert.Equal("certificate URL not on an AWS SNS host", check.Reason);
        Assert.Equal(0, _requests.Count);
    }

    [Fact]
    public async Task InvalidUtf8_IsNotAMessage_NotACrash()
    {
        var body = Encoding.UTF8.GetBytes(Notification().ToJsonString().Replace("Incident update", "\u00e9X", StringComparison.Ordinal)).ToList();
        body.InsertRange(body.IndexOf((byte)'X'), new byte[] { 0xC3, 0x28 });
        Assert.Equal("not an SNS message", (await _verifier.VerifyAsync(body.ToArray(), CancellationToken.None)).Reason);
    }

    [Fact]
    public async Task UnknownTopic_IsRejected_AndMalformedBodiesAreNotMessages()
    {
        var message = Notification();
        message["TopicArn"] = "arn:aws:sns:us-east-1:111122223333:someone-else";
        Assert.Equal("topic not configured", (await VerifyAsync(message)).Reason);
        Assert.Equal("not an SNS message", (await _verifier.VerifyAsync("{ nope"u8.ToArray(), CancellationToken.None)).Reason);
        Assert.Equal("not an SNS message", (await _verifier.VerifyAsync("""{"Type":"Notification"}"""u8.ToArray(), CancellationToken.None)).Reason);
        Assert.Equal(0, _fetches);
    }

    [Fact]
    public void AwsHostPattern_AcceptsRealSnsHosts_Only()
    {
        Assert.True(_verifier.IsTrusted(new Uri("https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem"), certificate: true));
        Assert.True(_verifier.IsTrusted(new Uri("https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem"), certificate: true));
        Assert.False(_verifier.IsTrusted(new Uri("https://sns.eu-west-1.amazonaws.com:8443/SimpleNotificationService-abc.pem"), certificate: true));
        Assert.False(_verifier.IsTrusted(new Uri("https://s3.amazonaws.com/SimpleNotificationService-abc.pem"), certificate: true));
    }
}
