namespace Bot.Core;

/// <summary>The <c>Bot</c> section: where people reach this bot from outside (links in other tools point here).</summary>
public sealed class BotOptions
{
    public const string Section = "Bot";

    /// <summary>The bot's public address, e.g. <c>https://bot.example.com/</c>; without it, no links to the bot are made.</summary>
    public Uri? PublicBaseUrl { get; set; }
}
