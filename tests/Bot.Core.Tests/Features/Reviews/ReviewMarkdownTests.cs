using Bot.Core.Directory;
using Bot.Core.Features.Reviews;

namespace Bot.Core.Tests.Features.Reviews;

public sealed class ReviewMarkdownTests
{
    private static readonly DateTimeOffset Resolved = new(2026, 11, 27, 15, 30, 0, TimeSpan.Zero);

    private static Review Sample()
    {
        var review = new Review
        {
            Id = 3, IncidentId = 7, TeamKey = "payments", Title = "INC-7: Checkout <script>alert(1)</script> down", OwnerKey = "bea",
            Status = ReviewStatus.Completed, TemplateName = "blameless", TemplateVersion = 1, Sections = [.. ReviewTemplate.Blameless.Sections],
            ResolvedAt = Resolved, DueAt = Resolved.AddDays(7), CompletedAt = Resolved.AddDays(3), CompletedBy = "Bea Okafor",
        };
        void Write(string section, string by, string name, string text, params string[] tags) =>
            review.Contributions.Add(new ReviewContribution { Id = review.Contributions.Count + 1, Section = section, By = by, ByName = name, Text = text, Tags = [.. tags],
                At = Resolved.AddDays(1).AddMinutes(review.Contributions.Count) });
        Write("summary", "bea", "Bea Okafor", "A config change took checkout down.\n# not a heading\n- not a list");
        Write("summary", "kim", "Kim Laine", "<!channel> see [the runbook](https://evil.example) *now* | `rm -rf`");
        Write("impact", "bea", "Bea Okafor", "About 4,000 customers & 90 minutes.");
        Write("detection", "kim", "Kim Laine", "A customer told us first.");
        Write("factors", "bea", "Bea Okafor", "Config changes skip the canary stage.", "tooling", "config");
        Write("learnings", "kim", "Kim Laine", "Treat config like code.");
        review.Timeline.Add(new ReviewTimelineEntry { Id = 1, At = Resolved.AddMinutes(-90), Text = "Opened (impact 2) on Checkout (Incident webhook)", Source = "incident" });
        review.Timeline.Add(new ReviewTimelineEntry { Id = 2, At = Resolved.AddMinutes(-20), Text = "Rolled back <b>by hand</b>", Source = "added", AddedBy = "bea", AddedByName = "Bea Okafor" });
        review.Timeline.Add(new ReviewTimelineEntry { Id = 3, At = Resolved.AddDays(1), Text = "Customer note sent", Source = "AWS Incident Manager", Edited = true });
        review.ActionItems.Add(new ActionItem { Id = 1, Title = "Canary for config | deploys", OwnerKey = "kim", DueOn = new DateOnly(2026, 12, 10), Kind = ActionKind.Detect });
        review.ActionItems.Add(new ActionItem { Id = 2, Title = "Rewrite the deployer", OwnerKey = "sam", DueOn = new DateOnly(2026, 12, 20), Kind = ActionKind.Prevent,
            Status = ActionStatus.NotDoing, Note = "Too big; the canary covers it" });
        return review;
    }

    [Fact]
    public void Export_Golden_EscapesWhatPeopleWrote()
    {
        var team = new Team { Key = "payments", Name = "Payments", TimeZone = "Europe/Berlin" };
        var names = new ReviewMessages.Names(new Dictionary<string, string> { ["bea"] = "Bea Okafor", ["kim"] = "Kim Laine", ["sam"] = "Sam Rivera" });
        var markdown = ReviewMarkdown.Render(Sample(), team, names, "INC-7 in Incident webhook, impact 2 · High");
        Assert.Equal("""
            # Post-incident review PIR-3: INC-7: Checkout &lt;script&gt;alert(1)&lt;/script&gt; down

            | | |
            |---|---|
            | Team | Payments |
            | Owner | Bea Okafor |
            | Status | Completed by Bea Okafor on Mon 30 Nov 2026 |
            | Incident | INC-7 in Incident webhook, impact 2 · High |
            | Resolved | 2026-11-27 15:30 UTC |
            | Due | Fri 4 Dec 2026 |
            | Template | blameless v1 |
            | Contributors | 2 |

            ## Summary

            A config change took checkout down.  
            \# not a heading  
            \- not a list

            — Bea Okafor

            &lt;\!channel&gt; see \[the runbook\](https://evil.example) \*now\* \| \`rm -rf\`

            — Kim Laine

            ## Customer impact

            About 4,000 customers &amp; 90 minutes.

            — Bea Okafor

            ## Timeline

            Times in Europe/Berlin.

            - Fri 27 Nov 15:00 Opened (impact 2) on Checkout (Incident webhook)
            - Fri 27 Nov 16:10 Rolled back &lt;b&gt;by hand&lt;/b&gt; (Bea Okafor)
            - Sat 28 Nov 16:30 Customer note sent _(edited)_

            ## Detection

            A customer told us first.

            — Kim Laine

            ## Response

            _Nothing written._

            ## Contributing factors

            - **tooling, config** Config changes skip the canary stage. — Bea Okafor

            ## What went well

            _Nothing written._

            ## Where we got lucky

            _Nothing written._

            ## Action items

            | Action | Owner | Due | Kind | Status |
            |---|---|---|---|---|
            | Canary for config \| deploys | Kim Laine | 2026-12-10 | Detect | Open |
            | Rewrite the deployer | Sam Rivera | 2026-12-20 | Prevent | Not doing: Too big; the canary covers it |

            ## Learnings to share

            Treat config like code.

            — Kim Laine

            ---

            _A blameless review: it asks how the system let this happen, not who. Exported by the Ops Culture Bot._

            """.ReplaceLineEndings("\n"), markdown);
    }
}
