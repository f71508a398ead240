using Bot.Core.Directory;
using Bot.Core.Features.Escalation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Core.Tests.Directory;

public sealed class DirectoryValidationTests
{
    private static DirectoryOptions Valid() => new()
    {
        People = [new PersonOptions { Key = "sam", Name = "Sam" }, new PersonOptions { Key = "lee", Name = "Lee", TimeZone = "Europe/Berlin" }],
        Teams =
        [
            new TeamOptions
            {
                Key = "payments", Name = "Payments", Members = ["sam"], Managers = ["lee"],
                Services = [new ServiceOptions { Key = "checkout" }],
                OnCall = new OnCallRotation { Members = ["sam"] },
            },
        ],
    };

    [Fact]
    public void ValidDirectory_Passes() => Assert.True(new DirectoryValidator().Validate(null, Valid()).Succeeded);

    [Fact]
    public void EveryProblem_NamesItsKey()
    {
        var options = Valid();
        options.People.Add(new PersonOptions { Key = "sam", Name = "", TimeZone = "Mars/Olympus" });
        options.People[0].Identities["slack"] = "U0SAM";
        options.People[1].Identities["Slack"] = "U0SAM";
        options.Teams[0].Members.Add("zoe");
        options.Teams[0].OnCall.ShiftLength = TimeSpan.Zero;
        options.Teams.Add(new TeamOptions { Key = "payments", Name = "Again", Services = [new ServiceOptions { Key = "checkout" }] });

        var failures = new DirectoryValidator().Validate(null, options).Failures!.ToArray();
        Assert.Contains("Directory:People:2:Key 'sam' is used twice", failures);
        Assert.Contains("Directory:People:1:Identities:Slack 'U0SAM' is already sam's", failures);
        Assert.Contains("Directory:People:2:Name is required", failures);
        Assert.Contains("Directory:People:2:TimeZone 'Mars/Olympus' is not a known time zone", failures);
        Assert.Contains("Directory:Teams:0:Members:1 'zoe' is not in Directory:People", failures);
        Assert.Contains("Directory:Teams:0:OnCall:ShiftLength must be positive", failures);
        Assert.Contains("Directory:Teams:1:Key 'payments' is used twice", failures);
        Assert.Contains("Directory:Teams:1:Services:0:Key 'checkout' is owned by two teams", failures);
    }

    [Fact]
    public void NoTeams_IsMissingConfiguration() =>
        Assert.Contains("Directory:Teams must list at least one team", new DirectoryValidator().Validate(null, new DirectoryOptions()).Failures!);

    [Fact]
    public void ShapeCheck_NamesUnknownKeysAndValuesOfTheWrongKind_InsideLists()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Directory:Teams:0:Key"] = "payments",
            ["Directory:Teams:0:OnCall:HandoffDay"] = "Someday",
            ["Directory:Teams:0:OnCall:ShiftLength"] = "a week",
            ["Directory:Teams:0:OnCall:HandoffTime"] = "09:00",
            ["Directory:Teams:0:EscalationPath:0:Notify"] = "7",
            ["Directory:Teams:0:Chanels:slack"] = "C1",
            ["Directory:Teams:0:Channels:slack"] = "C1",
            ["Directory:Teams:0:Escalation:AckTimeouts:Now"] = "soon",
            ["Directory:Teams:0:Escalation:Pth:0:Name"] = "x",
        }).Build();
        var featureSections = new Dictionary<Type, IReadOnlyDictionary<string, Type>>
        {
            [typeof(TeamOptions)] = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
            {
                ["Escalation"] = typeof(EscalationTeamSettings), ["EscalationPath"] = typeof(List<EscalationLevel>),
            },
        };
        var failures = new ConfigurationShapeValidator<DirectoryOptions>(configuration, "Directory", featureSections)
            .Validate(null, new DirectoryOptions()).Failures!.ToArray();
        Assert.Equal(6, failures.Length);
        Assert.Contains(failures, f => f.StartsWith("Directory:Teams:0:Escalation:AckTimeouts:Now 'soon' is not a duration", StringComparison.Ordinal));
        Assert.Contains("Directory:Teams:0:Escalation:Pth is not a known setting", failures);
        Assert.Contains(failures, f => f.StartsWith("Directory:Teams:0:OnCall:HandoffDay 'Someday' is not one of Sunday, Monday", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Directory:Teams:0:OnCall:ShiftLength 'a week' is not a duration", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Directory:Teams:0:EscalationPath:0:Notify '7'", StringComparison.Ordinal));
        Assert.Contains("Directory:Teams:0:Chanels is not a known setting", failures);
    }

    [Fact]
    public void FeatureSettings_AreReadFromTheirSection_OrFromTheOlderKeyUnderTheTeam_AndEachProblemNamesWhereItWasSet()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Directory:People:0:Key"] = "sam",
            ["Directory:People:0:Name"] = "Sam",
            ["Directory:Teams:0:Key"] = "payments",
            ["Directory:Teams:0:EscalationPath:0:Name"] = "Named people",
            ["Directory:Teams:0:EscalationPath:0:Notify"] = "People",
            ["Directory:Teams:0:AckTimeouts:Today"] = "08:00:00",
            ["Directory:Teams:1:Key"] = "platform",
            ["Directory:Teams:1:Escalation:AckTimeouts:Now"] = "-00:01:00",
            ["Directory:Teams:1:Escalation:EscalationPath:0:Notify"] = "People",
            ["Directory:Teams:1:Escalation:EscalationPath:0:People:0"] = "zoe",
            ["Directory:Teams:1:AckTimeouts:Today"] = "01:00:00",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration)
            .AddTeamSettings<EscalationTeamSettings>("Escalation", "EscalationPath", "AckTimeouts").BuildServiceProvider();

        var settings = services.GetRequiredService<TeamSettings<EscalationTeamSettings>>();
        Assert.Equal(TimeSpan.FromHours(8), settings.For("payments").AckTimeouts.Today);
        Assert.Equal("Named people", Assert.Single(settings.For("payments").Path).Name);
        Assert.Equal(3, settings.For("someone-else").Path.Count);

        var options = new DirectoryOptions { People = [new PersonOptions { Key = "sam", Name = "Sam" }] };
        var failures = services.GetServices<IValidateOptions<DirectoryOptions>>().SelectMany(v => v.Validate(null, options).Failures ?? []).ToArray();
        Assert.Equal(
        [
            "Directory:Teams:0:EscalationPath:0:People must name someone when Notify is People",
            "Directory:Teams:1:AckTimeouts and Directory:Teams:1:Escalation:AckTimeouts are both set; keep only Directory:Teams:1:Escalation:AckTimeouts",
            "Directory:Teams:1:Escalation:EscalationPath:0:People:0 'zoe' is not in Directory:People",
            "Directory:Teams:1:Escalation:AckTimeouts:Now must be positive",
        ], failures);
    }

    [Fact]
    public void Identities_AreConfiguredPerChannelKind_AndTheOlderPerPlatformKeysStillWork()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Directory:People:0:Key"] = "sam",
            ["Directory:People:0:Name"] = "Sam",
            ["Directory:People:0:Identities:slack"] = "U0SAM",
            ["Directory:People:0:Identities:chat"] = "C-SAM",
            ["Directory:People:0:ChatUserId"] = "C-OLD",
            ["Directory:People:1:Key"] = "lee",
            ["Directory:People:1:Name"] = "Lee",
            ["Directory:People:1:ChatUserId"] = "L-1",
            ["Directory:Teams:0:Key"] = "payments",
            ["Directory:Teams:0:Name"] = "Payments",
        }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration)
            .AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory>()
            .AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(Microsoft.Extensions.Logging.Abstractions.NullLogger<>))
            .AddBotCore().AddIdentityAlias("ChatUserId", "chat").BuildServiceProvider();

        var people = services.GetRequiredService<IOptions<DirectoryOptions>>().Value.People;
        Assert.Equal("U0SAM", people[0].Identities["slack"]);
        Assert.Equal("C-SAM", people[0].Identities["chat"]);
        Assert.Equal("L-1", people[1].Identities["CHAT"]);
    }
}
