using Bot.Core.Features.Reviews;

namespace Bot.Core.Tests.Features.Reviews;

public sealed class ReviewSettingsTests
{
    private static string[] Problems(ReviewTeamSettings settings) => settings.Validate("Directory:Teams:0:Reviews", new HashSet<string>()).ToArray();

    [Fact]
    public void Defaults_AreValid_AndUseTheBlamelessTemplate()
    {
        Assert.Empty(Problems(new ReviewTeamSettings()));
        Assert.Same(ReviewTemplate.Blameless, new ReviewTeamSettings().EffectiveTemplate);
    }

    [Fact]
    public void BadSettings_NameTheirKeys()
    {
        var settings = new ReviewTeamSettings
        {
            AutomaticUpToImpact = 9,
            DueWorkingDays = 0,
            Template = new ReviewTeamSettings.TemplateOptions
            {
                Name = "ours",
                Sections =
                [
                    new() { Key = "Summary!", Title = "Summary" },
                    new() { Key = "what", Title = "" },
                    new() { Key = "what", Title = "Again" },
                    new() { Key = "t1", Title = "Timeline", Kind = SectionKind.Timeline },
                    new() { Key = "t2", Title = "Timeline too", Kind = SectionKind.Timeline },
                ],
            },
        };
        Assert.Equal(
        [
            "Directory:Teams:0:Reviews:AutomaticUpToImpact must be 0 (never) to 5 (every incident)",
            "Directory:Teams:0:Reviews:DueWorkingDays must be 1 to 60",
            "Directory:Teams:0:Reviews:Template:Sections:0:Key must be 1 to 32 lower-case letters, digits or dashes",
            "Directory:Teams:0:Reviews:Template:Sections:1:Title must be 1 to 60 characters",
            "Directory:Teams:0:Reviews:Template:Sections:2:Key 'what' is used twice",
            "Directory:Teams:0:Reviews:Template:Sections has more than one Timeline section",
        ], Problems(settings));
    }
}
