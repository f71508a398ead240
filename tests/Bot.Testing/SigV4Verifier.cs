using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bot.Testing;

/// <summary>
/// An independent SigV4 (AWS4-HMAC-SHA256) implementation, written from the published algorithm and not from the
/// AWS SDK, so a fake AWS endpoint can check the Authorization header of each request itself.
/// </summary>
public static class SigV4Verifier
{
    public sealed record Request(string Method, string Path, string? RawQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body);

    /// <summary>The signature this request should carry for the given signed headers, date, scope and secret.</summary>
    public static string Signature(Request request, IReadOnlyList<string> signedHeaders, string amzDate, string region, string service, string secretKey)
    {
        var date = amzDate[..8];
        var canonicalHeaders = string.Concat(signedHeaders.Select(h => h + ":" + Collapse(request.Headers[h]) + "\n"));
        var payloadHash = request.Headers.TryGetValue("x-amz-content-sha256", out var declared) ? declared : Hex(SHA256.HashData(request.Body));
        var canonical = string.Join("\n",
            request.Method, CanonicalPath(request.Path), CanonicalQuery(request.RawQuery), canonicalHeaders, string.Join(';', signedHeaders), payloadHash);
        var scope = $"{date}/{region}/{service}/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), date), region), service), "aws4_request");
        return Hex(Hmac(key, toSign));
    }

    /// <summary>Checks a request's Authorization header; null when it is right, else what is wrong.</summary>
    public static string? Check(Request request, string accessKey, string secretKey, string region, string service, DateTimeOffset now)
    {
        if (!request.Headers.TryGetValue("authorization", out var authorization) || !authorization.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal))
            return "no AWS4-HMAC-SHA256 Authorization header";
        var parts = authorization["AWS4-HMAC-SHA256 ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
        if (!request.Headers.TryGetValue("x-amz-date", out var amzDate)) return "no X-Amz-Date";
        var at = DateTimeOffset.ParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        if ((now - at).Duration() > TimeSpan.FromMinutes(15)) return "request time too skewed";
        var expectedScope = $"{accessKey}/{amzDate[..8]}/{region}/{service}/aws4_request";
        if (parts.GetValueOrDefault("Credential") != expectedScope) return $"credential scope {parts.GetValueOrDefault("Credential")} is not {expectedScope}";
        var signed = parts.GetValueOrDefault("SignedHeaders", "").Split(';');
        if (!signed.Contains("host") || !signed.Contains("x-amz-date")) return "host and x-amz-date must be signed";
        if (signed.Any(h => !request.Headers.ContainsKey(h))) return "a signed header is missing";
        if (request.Headers.TryGetValue("x-amz-content-sha256", out var hash) && hash != Hex(SHA256.HashData(request.Body))) return "payload hash does not match the body";
        var expected = Signature(request, signed, amzDate, region, service, secretKey);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts.GetValueOrDefault("Signature", "")))
            ? null
            : "signature does not match";
    }

    private static string CanonicalPath(string path) =>
        path.Length == 0 ? "/" : string.Join('/', path.Split('/').Select(s => Encode(Uri.UnescapeDataString(s))));

    private static string CanonicalQuery(string? raw)
    {
        if (string.IsNullOrEmpty(raw)) return "";
        return string.Join('&', raw.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Name: Encode(Uri.UnescapeDataString(p[0])), Value: Encode(Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));
    }

    /// <summary>RFC 3986: everything but A–Z a–z 0–9 - _ . ~ is percent-encoded, in upper-case hex.</summary>
    private static string Encode(string value)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~') sb.Append(c);
            else sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static string Collapse(string value) => string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
