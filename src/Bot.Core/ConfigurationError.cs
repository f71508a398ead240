namespace Bot.Core;

/// <summary>Configuration that cannot work; start-up stops with one line naming the key.</summary>
public sealed class ConfigurationError(string key, string problem) : Exception($"{key}: {problem}")
{
    public string Key { get; } = key;
}
