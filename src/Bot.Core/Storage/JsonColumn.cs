using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bot.Core.Storage;

public static class JsonColumn
{
    /// <summary>Typed values (rotation, path, lists) stored as one JSON text column, the same way on every provider.</summary>
    public static PropertyBuilder<T> HasJsonConversion<T>(this PropertyBuilder<T> property) where T : class, new() =>
        property.HasConversion(
            v => JsonSerializer.Serialize(v, BotDbContext.JsonOptions),
            s => JsonSerializer.Deserialize<T>(s, BotDbContext.JsonOptions) ?? new T(),
            new ValueComparer<T>(
                (a, b) => JsonSerializer.Serialize(a, BotDbContext.JsonOptions) == JsonSerializer.Serialize(b, BotDbContext.JsonOptions),
                v => JsonSerializer.Serialize(v, BotDbContext.JsonOptions).GetHashCode(StringComparison.Ordinal),
                v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, BotDbContext.JsonOptions), BotDbContext.JsonOptions)!));
}
