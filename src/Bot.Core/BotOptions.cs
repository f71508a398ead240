namespace Bot.Core;

/// <summary>The <c>Bot</c> section: where people reach this bot from outside (links in other tools point here).</summary>
public sealed class BotOptions
{
    public const string Section = "Bot";

    /// <summary>The bot's public address, e.g. <c>https://bot.example.com/</c>; without it, no links to the bot are made.</summary>
    public Uri? PublicBaseUrl { get; set; }
}

/// <summary>Rules for settings that carry secrets or receive them.</summary>
public static class SafeSettings
{
    /// <summary>Shared secrets we check signatures with: at least this long, so they cannot be guessed.</summary>
    public const int MinSecretLength = 32;

    public static bool LongEnough(string? secret) => string.IsNullOrEmpty(secret) || secret.Length >= MinSecretLength;

    /// <summary>https, or http to this machine only (the loopback fakes of tests): tokens and links must not travel in clear text.</summary>
    public static bool SecureOrLoopback(Uri? url) =>
        url is null || (url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)));
}
