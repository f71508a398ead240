using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bot.Core.Storage;
using Bot.Core;
using Microsoft.Extensions.Options;

namespace Bot.Core.Features.Escalation;

/// <summary>
/// Links to an escalation that work from outside chat (an incident tool's related item): <c>/go/escalations/{id}?sig=…</c>,
/// signed with a key kept in the database, so ids cannot be enumerated. The page sends people on to the chat message.
/// </summary>
public sealed class EscalationLinks(IOptions<BotOptions> options, InstallationIdentity installation)
{
    public async Task<string?> LinkAsync(long id, CancellationToken ct)
    {
        if (options.Value.PublicBaseUrl is not { } baseUrl) return null;
        var path = $"go/escalations/{id.ToString(CultureInfo.InvariantCulture)}?sig={await SignatureAsync(id, ct)}";
        return new Uri(new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/"), path).AbsoluteUri;
    }

    public async Task<bool> VerifyAsync(long id, string? signature, CancellationToken ct) =>
        signature is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(await SignatureAsync(id, ct)), Encoding.ASCII.GetBytes(signature));

    private async Task<string> SignatureAsync(long id, CancellationToken ct)
    {
        var key = Convert.FromHexString(await installation.SecretAsync("link-key", ct));
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("escalation:" + id.ToString(CultureInfo.InvariantCulture))))[..32];
    }
}
