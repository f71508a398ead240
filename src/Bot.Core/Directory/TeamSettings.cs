using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Core.Directory;

/// <summary>A feature's settings for one team, bound from <c>Directory:Teams:N:&lt;Section&gt;</c> by the feature itself.</summary>
public interface ITeamSettings
{
    /// <summary>Problems with these settings, each naming its key under <paramref name="path"/>; <paramref name="people"/> are the directory's person keys.</summary>
    IEnumerable<string> Validate(string path, IReadOnlySet<string> people);
}

/// <summary>
/// A feature's per-team section: its name under each team, its type, and keys it still reads from the team itself
/// (where the setting lived before features had sections), so existing configuration keeps working.
/// </summary>
public sealed record TeamSettingsSection(string Name, Type Type, IReadOnlyList<string> LegacyKeys);

/// <summary>Every team's <typeparamref name="T"/>, read from configuration once (configuration is the directory's source of truth).</summary>
public sealed class TeamSettings<T>(IConfiguration configuration, TeamSettingsSection section) where T : class, ITeamSettings, new()
{
    private readonly Lazy<IReadOnlyDictionary<string, T>> _byTeam = new(() => Bind(configuration, section)
        .Where(t => t.Key.Length > 0).GroupBy(t => t.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Settings, StringComparer.Ordinal));

    /// <summary>The team's settings; defaults for a team that sets none (or that configuration no longer names).</summary>
    public T For(string teamKey) => _byTeam.Value.TryGetValue(teamKey, out var settings) ? settings : new T();

    public T For(Team team) => For(team.Key);

    /// <summary>Each configured team's settings with the path they were read from and conflicts found while reading.</summary>
    internal static IEnumerable<(string Key, T Settings, string Path, IReadOnlyList<string> Conflicts)> Bind(IConfiguration configuration, TeamSettingsSection section)
    {
        foreach (var team in configuration.GetSection(DirectoryOptions.Section + ":Teams").GetChildren())
        {
            var settings = new T();
            var own = team.GetSection(section.Name);
            var conflicts = new List<string>();
            var legacyUsed = false;
            foreach (var legacy in section.LegacyKeys)
            {
                var old = team.GetSection(legacy);
                if (!old.Exists()) continue;
                legacyUsed = true;
                if (own.GetSection(legacy).Exists())
                    conflicts.Add($"{old.Path} and {own.GetSection(legacy).Path} are both set; keep only {own.GetSection(legacy).Path}");
                var property = typeof(T).GetProperty(legacy)!;
                property.SetValue(settings, old.Get(property.PropertyType));
            }
            own.Bind(settings);
            yield return (team["Key"] ?? "", settings, own.Exists() || !legacyUsed ? own.Path : team.Path, conflicts);
        }
    }
}

/// <summary>Checks every registered feature section for every team on start, naming each failing key.</summary>
internal sealed class TeamSettingsValidator<T>(IConfiguration configuration, TeamSettingsSection section) : IValidateOptions<DirectoryOptions>
    where T : class, ITeamSettings, new()
{
    public ValidateOptionsResult Validate(string? name, DirectoryOptions options)
    {
        var people = options.People.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var errors = TeamSettings<T>.Bind(configuration, section).SelectMany(t => t.Conflicts.Concat(t.Settings.Validate(t.Path, people))).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

public static class TeamSettingsRegistration
{
    /// <summary>
    /// Registers a feature's per-team section <paramref name="name"/> (bound, shape-checked and validated on start);
    /// <paramref name="legacyKeys"/> are properties of <typeparamref name="T"/> still accepted directly under the team.
    /// </summary>
    public static IServiceCollection AddTeamSettings<T>(this IServiceCollection services, string name, params string[] legacyKeys)
        where T : class, ITeamSettings, new()
    {
        var section = new TeamSettingsSection(name, typeof(T), legacyKeys);
        services.AddSingleton(section);
        services.AddSingleton(sp => new TeamSettings<T>(sp.GetRequiredService<IConfiguration>(), section));
        services.AddSingleton<IValidateOptions<DirectoryOptions>>(sp => new TeamSettingsValidator<T>(sp.GetRequiredService<IConfiguration>(), section));
        return services;
    }
}
