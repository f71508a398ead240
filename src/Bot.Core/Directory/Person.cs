namespace Bot.Core.Directory;

/// <summary>Someone the bot knows, with their user id in each channel kind. Keyed by a short stable key from configuration.</summary>
public sealed class Person
{
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Email { get; set; }
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The person's user id per channel kind: configured, or learned by matching their email.</summary>
    public List<PersonIdentity> Identities { get; set; } = [];

    public string? IdentityOn(string channelKind) =>
        Identities.FirstOrDefault(i => string.Equals(i.Channel, channelKind, StringComparison.OrdinalIgnoreCase))?.UserId;

    /// <summary>Sets the person's user id in a channel kind, replacing the one known before.</summary>
    public void SetIdentity(string channelKind, string userId)
    {
        Identities.RemoveAll(i => string.Equals(i.Channel, channelKind, StringComparison.OrdinalIgnoreCase));
        Identities.Add(new PersonIdentity { Channel = channelKind.ToLowerInvariant(), UserId = userId });
    }
}

/// <summary>Who a person is in one channel kind, e.g. a Slack user id or a Teams (Entra) object id.</summary>
public sealed class PersonIdentity
{
    public string Channel { get; set; } = "";
    public string UserId { get; set; } = "";
}

/// <summary>A person in <c>Directory:People</c>: <c>Identities</c> maps channel kinds to user ids (<c>{ "slack": "U0…" }</c>).</summary>
public sealed class PersonOptions
{
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Email { get; set; }
    public string TimeZone { get; set; } = "UTC";
    public Dictionary<string, string> Identities { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// A person setting a channel registers as another name for one of <see cref="PersonOptions.Identities"/>, e.g.
/// <c>SlackUserId</c> for the <c>slack</c> identity; configuration written that way keeps working.
/// </summary>
public sealed record IdentityAlias(string Key, string ChannelKind);
