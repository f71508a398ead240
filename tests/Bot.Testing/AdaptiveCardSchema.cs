using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Bot.Testing;

/// <summary>
/// The published Adaptive Card 1.5 schema, read from <c>shared/schemas/adaptive-card-1.5.json</c> beside the checkout
/// (it is not part of the project). Null where the file is absent; tests that need it report themselves skipped.
/// </summary>
public static class AdaptiveCardSchema
{
    private static readonly Lazy<JsonSchema?> Loaded = new(() => Path is { } p ? JsonSchema.FromText(File.ReadAllText(p)) : null);

    public static string? Path
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Bot.sln"))) dir = dir.Parent;
            var path = dir?.Parent is null ? null : System.IO.Path.Combine(dir.Parent.FullName, "shared", "schemas", "adaptive-card-1.5.json");
            return path is not null && File.Exists(path) ? path : null;
        }
    }

    public static JsonSchema? Published => Loaded.Value;

    public const string Absent = "The published Adaptive Card 1.5 schema (shared/schemas/adaptive-card-1.5.json) is not present beside this checkout.";

    /// <summary>Why the card is not valid Adaptive Card 1.5 JSON; null when it is (or when the schema is absent).</summary>
    public static string? Violations(JsonNode card)
    {
        if (Published is not { } schema) return null;
        var result = schema.Evaluate(JsonDocument.Parse(card.ToJsonString()).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? null
            : string.Join("\n", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));
    }
}
