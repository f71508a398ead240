namespace Bot.Channels.Playground;

/// <summary>The <c>Playground</c> section. On in Development (appsettings.Development.json), off otherwise.</summary>
public sealed class PlaygroundOptions
{
    public const string Section = "Playground";

    public bool Enabled { get; set; }

    /// <summary>
    /// Outside Development the playground refuses to start unless this is set; even then it answers loopback callers only.
    /// Anyone who reaches it can act as anyone in the directory.
    /// </summary>
    public bool AllowOutsideDevelopment { get; set; }

    /// <summary>A channel everybody sees, for typing commands that are not about one team.</summary>
    public string GeneralChannel { get; set; } = "#general";
}
