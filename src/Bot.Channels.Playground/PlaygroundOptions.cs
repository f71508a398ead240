namespace Bot.Channels.Playground;

/// <summary>The <c>Playground</c> section. On in Development (appsettings.Development.json), off otherwise.</summary>
public sealed class PlaygroundOptions
{
    public const string Section = "Playground";

    public bool Enabled { get; set; }

    /// <summary>A channel everybody sees, for typing commands that are not about one team.</summary>
    public string GeneralChannel { get; set; } = "#general";
}
