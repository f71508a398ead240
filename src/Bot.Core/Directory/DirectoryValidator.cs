using Microsoft.Extensions.Options;

namespace Bot.Core.Directory;

/// <summary>Checks the directory section names only people, services and time zones that exist; each failure names its key.</summary>
public sealed class DirectoryValidator : IValidateOptions<DirectoryOptions>
{
    public ValidateOptionsResult Validate(string? name, DirectoryOptions options)
    {
        var errors = new List<string>();
        var people = new HashSet<string>(StringComparer.Ordinal);
        var identities = new Dictionary<(string, string), string>();
        for (var i = 0; i < options.People.Count; i++)
        {
            var p = options.People[i];
            var key = $"Directory:People:{i}";
            if (string.IsNullOrWhiteSpace(p.Key)) errors.Add($"{key}:Key is required");
            else if (!people.Add(p.Key)) errors.Add($"{key}:Key '{p.Key}' is used twice");
            if (string.IsNullOrWhiteSpace(p.Name)) errors.Add($"{key}:Name is required");
            if (!TimeZones.IsKnown(p.TimeZone)) errors.Add($"{key}:TimeZone '{p.TimeZone}' is not a known time zone");
            foreach (var (channel, userId) in p.Identities)
            {
                if (!identities.TryAdd((channel.ToLowerInvariant(), userId.Trim()), p.Key))
                    errors.Add($"{key}:Identities:{channel} '{userId}' is already {identities[(channel.ToLowerInvariant(), userId.Trim())]}'s");
            }
        }

        if (options.Teams.Count == 0) errors.Add("Directory:Teams must list at least one team");
        var teams = new HashSet<string>(StringComparer.Ordinal);
        var services = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Teams.Count; i++)
        {
            var t = options.Teams[i];
            var key = $"Directory:Teams:{i}";
            if (string.IsNullOrWhiteSpace(t.Key)) errors.Add($"{key}:Key is required");
            else if (!teams.Add(t.Key)) errors.Add($"{key}:Key '{t.Key}' is used twice");
            if (string.IsNullOrWhiteSpace(t.Name)) errors.Add($"{key}:Name is required");
            if (!TimeZones.IsKnown(t.TimeZone)) errors.Add($"{key}:TimeZone '{t.TimeZone}' is not a known time zone");
            CheckPeople(t.Members, $"{key}:Members");
            CheckPeople(t.Managers, $"{key}:Managers");
            CheckPeople(t.OnCall.Members, $"{key}:OnCall:Members");
            if (t.OnCall.ShiftLength <= TimeSpan.Zero) errors.Add($"{key}:OnCall:ShiftLength must be positive");
            for (var s = 0; s < t.Services.Count; s++)
            {
                var svc = t.Services[s];
                if (string.IsNullOrWhiteSpace(svc.Key)) errors.Add($"{key}:Services:{s}:Key is required");
                else if (!services.Add(svc.Key)) errors.Add($"{key}:Services:{s}:Key '{svc.Key}' is owned by two teams");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);

        void CheckPeople(List<string> keys, string key)
        {
            for (var i = 0; i < keys.Count; i++)
            {
                if (!people.Contains(keys[i])) errors.Add($"{key}:{i} '{keys[i]}' is not in Directory:People");
            }
        }
    }
}
