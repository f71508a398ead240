using Bot.Core;
using Microsoft.Extensions.Options;

namespace Bot.Host.Startup;

/// <summary>Turns configuration problems into one line naming the key, instead of a stack trace.</summary>
public static class StartupErrors
{
    public static string? Describe(Exception ex) => ex switch
    {
        ConfigurationError e => $"Configuration error: {e.Message}",
        OptionsValidationException e => $"Configuration error: {string.Join("; ", e.Failures)}",
        InvalidOperationException { InnerException: FormatException or InvalidOperationException } e when e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) =>
            $"Configuration error: {e.Message}",
        AggregateException { InnerExceptions: [var inner] } => Describe(inner),
        _ => null,
    };
}
