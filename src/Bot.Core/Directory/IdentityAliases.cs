using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Core.Directory;

public static class IdentityAliases
{
    /// <summary>Lets <c>Directory:People:N:&lt;key&gt;</c> name the person's identity in <paramref name="channelKind"/> (a channel registers its own).</summary>
    public static IServiceCollection AddIdentityAlias(this IServiceCollection services, string key, string channelKind)
    {
        services.AddSingleton(new IdentityAlias(key, channelKind));
        return services;
    }

    /// <summary>Copies aliased identities into <see cref="PersonOptions.Identities"/>; one set in <c>Identities</c> wins.</summary>
    internal sealed class Apply(IConfiguration configuration, IEnumerable<IdentityAlias> aliases) : IPostConfigureOptions<DirectoryOptions>
    {
        public void PostConfigure(string? name, DirectoryOptions options)
        {
            var people = options.People.Where(p => p.Key.Length > 0).GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First());
            foreach (var child in configuration.GetSection(DirectoryOptions.Section + ":People").GetChildren())
            {
                if (child["Key"] is not { } key || !people.TryGetValue(key, out var person)) continue;
                foreach (var alias in aliases)
                {
                    if (child[alias.Key] is { Length: > 0 } value) person.Identities.TryAdd(alias.ChannelKind, value);
                }
            }
        }
    }
}
