using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing;

/// <summary>
/// Amazon SNS on loopback, as far as an HTTPS subscriber sees it: it signs deliveries with a locally generated
/// certificate that it serves, and records visits to the subscribe URL. Its host must be listed in
/// <c>IncidentManager:SnsExtraCertificateHosts</c>, which only test configuration does.
/// </summary>
public sealed class FakeSns : IAsyncDisposable
{
    public const string Topic = "arn:aws:sns:us-east-1:111122223333:incident-manager";

    private readonly RSA _key = RSA.Create(2048);
    private readonly WebApplication _app;
    private int _certificateFetches;

    private FakeSns(WebApplication app, Uri address, string pem)
    {
        _app = app;
        Address = address;
        Pem = pem;
    }

    public Uri Address { get; }
    public string Pem { get; }
    public Uri CertificateUrl => new(Address, "SimpleNotificationService-test.pem");
    public int CertificateFetches => _certificateFetches;
    public ConcurrentQueue<string> Confirmations { get; } = new();

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["IncidentManager:SnsTopicArns:0"] = Topic,
        ["IncidentManager:SnsExtraCertificateHosts:0"] = Address.Authority,
    };

    public static async Task<FakeSns> StartAsync()
    {
        FakeSns? fake = null;
        var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=sns.us-east-1.amazonaws.com", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var pem = certificate.ExportCertificatePem();
        var (app, address) = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/SimpleNotificationService-test.pem", () =>
            {
                Interlocked.Increment(ref fake!._certificateFetches);
                return Results.Text(pem, "application/x-pem-file");
            });
            app.MapGet("/", (HttpContext c) =>
            {
                fake!.Confirmations.Enqueue(c.Request.QueryString.Value ?? "");
                return Results.Text("<ConfirmSubscriptionResponse><ConfirmSubscriptionResult><SubscriptionArn>" + Topic +
                                    ":1</SubscriptionArn></ConfirmSubscriptionResult></ConfirmSubscriptionResponse>", "text/xml");
            });
        });
        fake = new FakeSns(app, address, pem);
        fake._key.ImportParameters(key.ExportParameters(true));
        key.Dispose();
        return fake;
    }

    /// <summary>A signed notification (SignatureVersion 1, SHA1, the topic default) carrying <paramref name="message"/>.</summary>
    public JsonObject Notification(string messageId, string message, string version = "1", string? topic = null, Uri? certificateUrl = null)
    {
        var json = new JsonObject
        {
            ["Type"] = "Notification", ["MessageId"] = messageId, ["TopicArn"] = topic ?? Topic, ["Subject"] = "Incident Manager",
            ["Message"] = message, ["Timestamp"] = "2026-11-23T10:00:00.000Z", ["SignatureVersion"] = version,
            ["SigningCertURL"] = (certificateUrl ?? CertificateUrl).AbsoluteUri, ["UnsubscribeURL"] = new Uri(Address, "?Action=Unsubscribe").AbsoluteUri,
        };
        var toSign = $"Message\n{message}\nMessageId\n{messageId}\nSubject\nIncident Manager\nTimestamp\n{json["Timestamp"]}\nTopicArn\n{json["TopicArn"]}\nType\nNotification\n";
        json["Signature"] = Sign(toSign, version == "2" ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA1);
        return json;
    }

    public JsonObject SubscriptionConfirmation(string token = "2336412f37fb")
    {
        var subscribe = new Uri(Address, "?Action=ConfirmSubscription&TopicArn=" + Uri.EscapeDataString(Topic) + "&Token=" + token).AbsoluteUri;
        var json = new JsonObject
        {
            ["Type"] = "SubscriptionConfirmation", ["MessageId"] = "165545c9-2a5c-472c-8df2-7ff2be2b3b1b", ["Token"] = token, ["TopicArn"] = Topic,
            ["Message"] = "You have chosen to subscribe to the topic. To confirm the subscription, visit the SubscribeURL included in this message.",
            ["SubscribeURL"] = subscribe, ["Timestamp"] = "2026-11-23T10:00:00.000Z", ["SignatureVersion"] = "1", ["SigningCertURL"] = CertificateUrl.AbsoluteUri,
        };
        json["Signature"] = Sign($"Message\n{json["Message"]}\nMessageId\n{json["MessageId"]}\nSubscribeURL\n{subscribe}\nTimestamp\n{json["Timestamp"]}\nToken\n{token}\nTopicArn\n{Topic}\nType\nSubscriptionConfirmation\n",
            HashAlgorithmName.SHA1);
        return json;
    }

    /// <summary>Posts a delivery to the bot as SNS does: JSON sent as text/plain, with SNS's headers.</summary>
    public static async Task<HttpResponseMessage> DeliverAsync(HttpClient bot, JsonObject message)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/incident-manager/sns")
        {
            Content = new StringContent(message.ToJsonString(), Encoding.UTF8, "text/plain"),
        };
        request.Headers.TryAddWithoutValidation("x-amz-sns-message-type", message["Type"]!.GetValue<string>());
        request.Headers.TryAddWithoutValidation("x-amz-sns-message-id", message["MessageId"]!.GetValue<string>());
        request.Headers.TryAddWithoutValidation("x-amz-sns-topic-arn", message["TopicArn"]!.GetValue<string>());
        request.Headers.UserAgent.ParseAdd("Amazon Simple Notification Service Agent");
        return await bot.SendAsync(request);
    }

    private string Sign(string text, HashAlgorithmName algorithm) =>
        Convert.ToBase64String(_key.SignData(Encoding.UTF8.GetBytes(text), algorithm, RSASignaturePadding.Pkcs1));

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _key.Dispose();
    }
}
