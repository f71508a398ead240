using Bot.Core.Features.Reviews;
using Microsoft.Extensions.Options;

namespace Bot.Core.Tests.Features.Reviews;

public sealed class BlamelessCoachTests
{
    private static readonly string[] Names = ["Sam Rivera", "Bea Okafor", "Kim Laine"];
    private static readonly BlamelessCoach Coach = new(Options.Create(new ReviewOptions()));

    [Theory]
    [InlineData("This was human error.")]
    [InlineData("Classic user error on the admin page.")]
    [InlineData("We should have caught it in staging.")]
    [InlineData("The on-call should've noticed the alert.")]
    [InlineData("Sam shouldn't have deployed on a Friday.")]
    [InlineData("Sam failed to roll back the config in time.")]
    [InlineData("The engineer failed to follow the runbook.")]
    [InlineData("Bea forgot to update the feature flag.")]
    [InlineData("It was a careless mistake.")]
    [InlineData("Nobody didn't bother to check the dashboards.")]
    [InlineData("It was Kim's fault for merging without review.")]
    [InlineData("Sam broke checkout with the last release.")]
    [InlineData("He completely ignored the pager.")]
    [InlineData("The developer missed the warning in the logs.")]
    [InlineData("Kim Laine skipped the canary stage.")]
    [InlineData("They didn't test the migration.")]
    [InlineData("Someone did not check the disk space.")]
    [InlineData("That was negligent.")]
    [InlineData("Bea messed up the DNS change.")]
    [InlineData("The responder was not paying attention.")]
    [InlineData("Who is to blame for this?")]
    [InlineData("I overlooked the expiry date.")]
    public void Flags_PhrasesThatPointAtPeople(string sentence)
    {
        var notes = Coach.Check(sentence, Names);
        Assert.NotEmpty(notes);
        Assert.All(notes, n => Assert.False(string.IsNullOrWhiteSpace(n.Suggestion)));
    }

    [Theory]
    [InlineData("The deploy failed to roll back.")]
    [InlineData("The health check failed to detect the stuck worker.")]
    [InlineData("The config change broke checkout for card payments.")]
    [InlineData("The alert missed the first spike because of its 10-minute window.")]
    [InlineData("Our pipeline skipped the canary stage for config changes.")]
    [InlineData("The runbook did not cover a partial outage.")]
    [InlineData("Checkout returned 500s for 90 minutes.")]
    [InlineData("The retry storm overloaded the payments API.")]
    [InlineData("Sam noticed the error rate and paged the team.")]
    [InlineData("Bea rolled back the release within ten minutes.")]
    [InlineData("Kim found the root cause in the connection pool settings.")]
    [InlineData("The dashboard made the error easy to miss among 40 panels.")]
    [InlineData("There was no alert on certificate expiry.")]
    [InlineData("Load on the database doubled after the promotion started.")]
    [InlineData("The team had no runbook for this dependency.")]
    [InlineData("A missing index made the query slow under load.")]
    [InlineData("The feature flag system ignored the kill switch for cached sessions.")]
    [InlineData("We learned that config deserves the same review as code.")]
    [InlineData("What went well: the escalation reached the right person in 3 minutes.")]
    [InlineData("The migration tool did not test for locks on large tables.")]
    [InlineData("Capacity planning overlooked the holiday peak.")]
    public void DoesNotFlag_SystemsOrNeutralDescriptions(string sentence) => Assert.Empty(Coach.Check(sentence, Names));

    [Fact]
    public void ThePhraseList_IsConfigurable()
    {
        var custom = new BlamelessCoach(Options.Create(new ReviewOptions
        {
            UseDefaultPhrases = false,
            CoachPhrases = [new CoachPhrase { Phrase = "rookie mistake", Suggestion = "What would have made it hard to make?" }],
        }));
        Assert.Equal("What would have made it hard to make?", Assert.Single(custom.Check("A rookie mistake, really.", Names)).Suggestion);
        Assert.Empty(custom.Check("This was human error.", Names));
    }
}
