using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bot.Core.Conversation;
using Bot.Core.Inbound;
using Microsoft.Extensions.Options;

namespace Bot.IncidentManager;

/// <summary>An SNS HTTP(S) delivery: the members the signature covers, plus where its certificate and confirmation live.</summary>
public sealed record SnsMessage(
    string Type, string MessageId, string TopicArn, string? Subject, string Message, string Timestamp,
    string SignatureVersion, string Signature, string SigningCertUrl, string? SubscribeUrl, string? Token, string? UnsubscribeUrl)
{
    public const string Notification = "Notification";
    public const string SubscriptionConfirmation = "SubscriptionConfirmation";
    public const string UnsubscribeConfirmation = "UnsubscribeConfirmation";

    /// <summary>The body SNS posts (JSON, sent as text/plain); null when it is not an SNS message. Both URL spellings SNS uses are read.</summary>
    public static SnsMessage? Parse(ReadOnlySpan<byte> body)
    {
        var json = InboundBody.ParseObject(body);
        string? S(params string[] names) => names.Select(n => json?[n] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).FirstOrDefault(s => s is not null);
        if (S("Type") is not { } type || S("MessageId") is not { } id || S("TopicArn") is not { } topic || S("Message") is not { } message
            || S("Timestamp") is not { } timestamp || S("SignatureVersion") is not { } version || S("Signature") is not { } signature
            || S("SigningCertURL", "SigningCertUrl") is not { } cert) return null;
        return new SnsMessage(type, id, topic, S("Subject"), message, timestamp, version, signature, cert,
            S("SubscribeURL", "SubscribeUrl"), S("Token"), S("UnsubscribeURL", "UnsubscribeUrl"));
    }

    /// <summary>The string SNS signs: each covered member as "key\nvalue\n", in byte order of the keys, per message type.</summary>
    public string StringToSign()
    {
        var fields = Type == Notification
            ? new (string Key, string? Value)[] { ("Message", Message), ("MessageId", MessageId), ("Subject", Subject), ("Timestamp", Timestamp), ("TopicArn", TopicArn), ("Type", Type) }
            : [("Message", Message), ("MessageId", MessageId), ("SubscribeURL", SubscribeUrl), ("Timestamp", Timestamp), ("Token", Token), ("TopicArn", TopicArn), ("Type", Type)];
        var sb = new StringBuilder();
        foreach (var (key, value) in fields.Where(f => f.Value is not null)) sb.Append(key).Append('\n').Append(value).Append('\n');
        return sb.ToString();
    }
}

public sealed record SnsCheck(bool Valid, string? Reason, SnsMessage? Message)
{
    public static SnsCheck Fail(string reason, SnsMessage? message = null) => new(false, reason, message);
}

/// <summary>
/// Verifies SNS deliveries as AWS documents: only configured topics; SignatureVersion 1 (RSA, SHA1) or 2 (RSA, SHA256)
/// over the string to sign of the message type; the certificate fetched only from an https URL on
/// <c>sns.&lt;region&gt;.amazonaws.com(.cn)</c> ending in <c>.pem</c> (checked before any fetch), and cached by URL.
/// </summary>
public sealed partial class SnsMessageVerifier(HttpClient http, IOptions<IncidentManagerOptions> options)
{
    private const int MaxCertificates = 32;

    /// <summary>Keys that verified a signature: only these stay, so bogus certificate paths cannot push them out.</summary>
    private readonly ConcurrentDictionary<string, RSA> _verified = new(StringComparer.Ordinal);

    /// <summary>Fetches in flight, shared by deliveries that wait for the same certificate; dropped once done.</summary>
    private readonly ConcurrentDictionary<string, Lazy<Task<RSA>>> _fetching = new(StringComparer.Ordinal);

    public async Task<SnsCheck> VerifyAsync(ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        if (SnsMessage.Parse(body.Span) is not { } message) return SnsCheck.Fail("not an SNS message");
        if (message.Type is not (SnsMessage.Notification or SnsMessage.SubscriptionConfirmation or SnsMessage.UnsubscribeConfirmation))
            return SnsCheck.Fail("unknown message type", message);
        if (!options.Value.SnsTopicArns.Contains(message.TopicArn, StringComparer.Ordinal)) return SnsCheck.Fail("topic not configured", message);
        var algorithm = message.SignatureVersion switch
        {
            "1" => HashAlgorithmName.SHA1,
            "2" => HashAlgorithmName.SHA256,
            _ => default,
        };
        if (algorithm == default) return SnsCheck.Fail("unsupported signature version", message);
        if (!Uri.TryCreate(message.SigningCertUrl, UriKind.Absolute, out var certUrl) || !IsTrusted(certUrl, certificate: true))
            return SnsCheck.Fail("certificate URL not on an AWS SNS host", message);
        if (message.Type != SnsMessage.Notification && (message.SubscribeUrl is null || !Uri.TryCreate(message.SubscribeUrl, UriKind.Absolute, out var subscribe)
                || !IsTrusted(subscribe, certificate: false)))
            return SnsCheck.Fail("subscribe URL not on an AWS SNS host", message);

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(message.Signature);
        }
        catch (FormatException)
        {
            return SnsCheck.Fail("signature is not base64", message);
        }
        var cacheKey = certUrl.GetLeftPart(UriPartial.Path);
        if (!_verified.TryGetValue(cacheKey, out var key))
        {
            var fetch = _fetching.GetOrAdd(cacheKey, _ => new Lazy<Task<RSA>>(() => FetchAsync(certUrl)));
            // Whatever its outcome, a finished fetch leaves: it is kept only through a verified signature below.
            _ = fetch.Value.ContinueWith(_ => _fetching.TryRemove(KeyValuePair.Create(cacheKey, fetch)), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            try
            {
                key = await fetch.Value.WaitAsync(ct);
            }
            catch (Exception e) when (e is HttpRequestException or CryptographicException or TaskCanceledException or TimeoutException)
            {
                return SnsCheck.Fail("certificate could not be fetched", message);
            }
        }
        var valid = key.VerifyData(Encoding.UTF8.GetBytes(message.StringToSign()), signature, algorithm, RSASignaturePadding.Pkcs1);
        if (!valid) return SnsCheck.Fail("signature does not match", message);
        // Kept for later deliveries only once it proved itself; a full cache keeps what it has.
        if (_verified.Count < MaxCertificates) _verified.TryAdd(cacheKey, key);
        return new SnsCheck(true, null, message);
    }

    /// <summary>
    /// An AWS SNS URL: https, host <c>sns.&lt;region&gt;.amazonaws.com(.cn)</c> (a certificate also ends in .pem), or a
    /// host listed in <c>IncidentManager:SnsExtraCertificateHosts</c> (plain http only when that host is loopback).
    /// </summary>
    public bool IsTrusted(Uri url, bool certificate)
    {
        if (url.UserInfo.Length > 0 || url.Fragment.Length > 0) return false;
        // A certificate URL is not covered by the signature: nothing in it may vary but the path. (A subscribe URL is,
        // and carries its action and token in the query.)
        if (certificate && (url.Query.Length > 0 || !url.AbsolutePath.EndsWith(".pem", StringComparison.Ordinal))) return false;
        if (options.Value.SnsExtraCertificateHosts.Contains(url.Authority, StringComparer.OrdinalIgnoreCase)
            || options.Value.SnsExtraCertificateHosts.Contains(url.Host, StringComparer.OrdinalIgnoreCase))
            return url.Scheme == Uri.UriSchemeHttps || url.IsLoopback;
        return url.Scheme == Uri.UriSchemeHttps && url.IsDefaultPort && SnsHost().IsMatch(url.Host);
    }

    /// <summary>The certificate's key; kept once a signature verified with it (a few URLs at most: AWS rotates certificates rarely).</summary>
    private async Task<RSA> FetchAsync(Uri url)
    {
        // Not tied to one caller's cancellation: other deliveries may be waiting for the same certificate.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.EnsureSuccessStatusCode();
        if (response.Content.Headers.ContentLength > 16 * 1024) throw new CryptographicException("The certificate is too large.");
        var pem = await response.Content.ReadAsStringAsync(timeout.Token);
        if (pem.Length > 16 * 1024) throw new CryptographicException("The certificate is too large.");
        using var certificate = X509Certificate2.CreateFromPem(pem);
        return certificate.GetRSAPublicKey() ?? throw new CryptographicException("The certificate has no RSA key.");
    }

    [GeneratedRegex(@"^sns\.[a-zA-Z0-9\-]{3,}\.amazonaws\.com(\.cn)?$")]
    private static partial Regex SnsHost();
}
