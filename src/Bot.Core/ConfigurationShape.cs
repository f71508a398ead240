using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Bot.Core;

/// <summary>
/// The configuration binder skips list items it cannot convert and ignores unknown keys, so a typo in one team
/// would silently drop it. This check walks the raw section against the options type and names every key that
/// does not fit: unknown, or a value of the wrong kind (a day, a duration, a date, a choice).
/// </summary>
public sealed class ConfigurationShapeValidator<T>(IConfiguration configuration, string section,
    IReadOnlyDictionary<Type, IReadOnlyDictionary<string, Type>>? extensions = null) : IValidateOptions<T> where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var errors = new List<string>();
        Check(configuration.GetSection(section), typeof(T), errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private void Check(IConfigurationSection node, Type type, List<string> errors)
    {
        foreach (var child in node.GetChildren())
        {
            var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            // Sections other parts add to a type (a feature's settings under each team) are checked against their own type.
            if (property is null && extensions?.GetValueOrDefault(type)?.GetValueOrDefault(child.Key) is { } added)
            {
                CheckValue(child, added, errors);
                continue;
            }
            if (property is null || !property.CanWrite)
            {
                errors.Add($"{child.Path} is not a known setting");
                continue;
            }
            CheckValue(child, property.PropertyType, errors);
        }
    }

    private void CheckValue(IConfigurationSection node, Type type, List<string> errors)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return;
        if (IsScalar(type))
        {
            if (node.Value is null)
            {
                if (node.GetChildren().Any()) errors.Add($"{node.Path} must be a single value");
                return;
            }
            if (node.Value.Length == 0) return;
            try
            {
                var converted = TypeDescriptor.GetConverter(type).ConvertFromInvariantString(node.Value);
                if (type.IsEnum && (converted is null || !Enum.IsDefined(type, converted) || char.IsDigit(node.Value[0]) || node.Value[0] == '-'))
                    throw new FormatException();
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException or OverflowException)
            {
                var expected = type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(type)) : Describe(type);
                errors.Add($"{node.Path} '{node.Value}' is not {expected}");
            }
            return;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            foreach (var entry in node.GetChildren()) CheckValue(entry, type.GetGenericArguments()[1], errors);
            return;
        }
        if (type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type))
        {
            foreach (var item in node.GetChildren()) CheckValue(item, type.GetGenericArguments()[0], errors);
            return;
        }
        if (node.Value is { Length: > 0 })
        {
            errors.Add($"{node.Path} must be a section, not a single value");
            return;
        }
        Check(node, type, errors);
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(TimeOnly)
        || type == typeof(DateOnly) || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Guid) || type == typeof(Uri);

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(TimeSpan) => "a duration such as 00:30:00 or 7.00:00:00",
        _ when type == typeof(TimeOnly) => "a time of day such as 09:00",
        _ when type == typeof(DateOnly) => "a date such as 2026-01-05",
        _ when type == typeof(bool) => "true or false",
        _ => "a " + type.Name.ToLower(CultureInfo.InvariantCulture),
    };
}
