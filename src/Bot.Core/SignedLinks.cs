using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bot.Core.Storage;
using Microsoft.Extensions.Options;

namespace Bot.Core;

/// <summary>What a signed link answers: a document (a download when <paramref name="FileName"/> is set), or a redirect.</summary>
public sealed record LinkAnswer(string? RedirectTo = null, string? ContentType = null, string? Body = null, string? FileName = null);

/// <summary>
/// A feature's signed links under <c>/links/{Prefix}/…</c>: the host checks the signature and expiry, then asks the
/// target for the rest of the path. Null is a 404, as for a bad signature, so nothing can be probed.
/// </summary>
public interface ILinkTarget
{
    string Prefix { get; }

    Task<LinkAnswer?> AnswerAsync(Storage.BotDbContext db, string rest, CancellationToken ct);
}

/// <summary>
/// Links the bot hands out that others fetch (an exported review): under <c>Bot:PublicBaseUrl</c>, signed with a
/// key kept in the database over the path and the expiry, so they can be neither guessed nor stretched.
/// </summary>
public sealed class SignedLinks(IOptions<BotOptions> options, InstallationIdentity installation, TimeProvider clock)
{
    public const string Root = "links/";

    /// <summary>
    /// An absolute link to a target's <paramref name="rest"/> (<c>links/{prefix}/{rest}</c>) valid for <paramref name="lifetime"/>;
    /// null without a public address.
    /// </summary>
    public Task<string?> LinkAsync(ILinkTarget target, string rest, TimeSpan lifetime, CancellationToken ct) =>
        LinkAsync(Root + target.Prefix + "/" + rest, lifetime, ct);

    private async Task<string?> LinkAsync(string path, TimeSpan lifetime, CancellationToken ct)
    {
        if (options.Value.PublicBaseUrl is not { } baseUrl) return null;
        var expires = (clock.GetUtcNow() + lifetime).ToUnixTimeSeconds();
        var query = $"?exp={expires.ToString(CultureInfo.InvariantCulture)}&sig={await SignatureAsync(path, expires, ct)}";
        return new Uri(new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/"), path + query).AbsoluteUri;
    }

    /// <summary>
    /// An unguessable id that carries <paramref name="payload"/> until it expires, for a path of its own
    /// (<c>/charts/{id}.png</c>): <c>{payload, base64url}.{expiry}.{signature}</c>. <paramref name="purpose"/> keeps
    /// ids of one kind from being used as another.
    /// </summary>
    public async Task<string> IdAsync(string purpose, string payload, TimeSpan lifetime, CancellationToken ct)
    {
        var body = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        var expires = (clock.GetUtcNow() + lifetime).ToUnixTimeSeconds();
        return $"{body}.{expires.ToString(CultureInfo.InvariantCulture)}.{await SignatureAsync(purpose + ":" + body, expires, ct)}";
    }

    /// <summary>The payload of an id from <see cref="IdAsync"/>; null when it is malformed, tampered with or expired.</summary>
    public async Task<string?> ReadIdAsync(string purpose, string id, CancellationToken ct)
    {
        var parts = id.Split('.');
        if (parts.Length != 3 || parts[0].Length is 0 or > 400) return null;
        if (!await VerifyAsync(purpose + ":" + parts[0], parts[1], parts[2], ct)) return null;
        try
        {
            return Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[0]));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary><paramref name="path"/> under <c>Bot:PublicBaseUrl</c>; without one, the path from the root (what a local page can load).</summary>
    public string Address(string path) => options.Value.PublicBaseUrl is { } baseUrl
        ? new Uri(new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/"), path).AbsoluteUri
        : "/" + path;

    /// <summary>Whether a link to <paramref name="path"/> carries a valid signature and has not expired.</summary>
    public async Task<bool> VerifyAsync(string path, string? expires, string? signature, CancellationToken ct)
    {
        if (signature is null || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var exp)) return false;
        if (DateTimeOffset.FromUnixTimeSeconds(Math.Min(exp, 253402300799)) < clock.GetUtcNow()) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(await SignatureAsync(path, exp, ct)), Encoding.ASCII.GetBytes(signature));
    }

    private async Task<string> SignatureAsync(string path, long expires, CancellationToken ct)
    {
        var key = Convert.FromHexString(await installation.SecretAsync("link-key", ct));
        var signed = Encoding.UTF8.GetBytes(path + "\n" + expires.ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, signed))[..40];
    }
}
