using System.Globalization;
using System.Text;
using static Bot.Core.Conversation.MarkdownDocument;
using Bot.Core.Directory;

namespace Bot.Core.Features.Reviews;

/// <summary>A review as a Markdown document: what <c>/review export</c> hands out. What people wrote is escaped, so it stays text.</summary>
public static class ReviewMarkdown
{
    public static string Render(Review r, Team team, ReviewMessages.Names names, string? incidentLine)
    {
        var md = new StringBuilder();
        md.Append("# Post-incident review ").Append(ReviewReference.Of(r.Id)).Append(": ").Append(Inline(r.Title)).Append("\n\n");
        md.Append("| | |\n|---|---|\n");
        void Row(string label, string value) => md.Append("| ").Append(label).Append(" | ").Append(value).Append(" |\n");
        Row("Team", Inline(team.Name));
        Row("Owner", Inline(names.Of(r.OwnerKey)));
        Row("Status", r.Status == ReviewStatus.Completed && r.CompletedAt is { } done
            ? $"Completed by {Inline(r.CompletedBy ?? "")} on {ReviewText.Day(done, team.TimeZone)}"
            : ReviewText.Progress(r));
        if (incidentLine is not null) Row("Incident", Inline(incidentLine));
        Row("Resolved", r.ResolvedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        Row("Due", ReviewText.Day(r.DueAt, team.TimeZone));
        Row("Template", $"{Inline(r.TemplateName)} v{r.TemplateVersion.ToString(CultureInfo.InvariantCulture)}");
        Row("Contributors", r.Participants.ToString(CultureInfo.InvariantCulture));
        md.Append('\n');

        foreach (var section in r.Sections)
        {
            md.Append("## ").Append(Inline(section.Title)).Append("\n\n");
            var empty = true;
            if (section.Kind == SectionKind.Timeline && r.Timeline.Count > 0)
            {
                var clock = ReviewText.TimelineClock(r.Timeline.Select(t => t.At), team.TimeZone);
                md.Append("Times in ").Append(Inline(team.TimeZone)).Append(".\n\n");
                foreach (var t in r.Timeline.OrderBy(t => t.At).ThenBy(t => t.Id))
                {
                    md.Append("- ").Append(clock(t.At)).Append(' ').Append(Inline(t.Text));
                    if (t.AddedByName is not null) md.Append(" (").Append(Inline(t.AddedByName)).Append(')');
                    if (t.Edited) md.Append(" _(edited)_");
                    md.Append('\n');
                }
                md.Append('\n');
                empty = false;
            }
            if (section.Kind == SectionKind.Actions && r.ActionItems.Count > 0)
            {
                md.Append("| Action | Owner | Due | Kind | Status |\n|---|---|---|---|---|\n");
                foreach (var a in r.ActionItems.OrderBy(a => a.Id))
                {
                    var status = ReviewText.Label(a.Status) + (a.Status == ActionStatus.NotDoing && a.Note is { } why ? ": " + Inline(why) : "");
                    md.Append("| ").Append(Inline(a.Title)).Append(" | ").Append(Inline(names.Of(a.OwnerKey))).Append(" | ")
                        .Append(a.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(" | ").Append(ReviewText.Label(a.Kind))
                        .Append(" | ").Append(status).Append(" |\n");
                }
                md.Append('\n');
                empty = false;
            }
            foreach (var c in r.ContributionsTo(section.Key))
            {
                if (section.Kind == SectionKind.Factors)
                {
                    md.Append("- ");
                    if (c.Tags.Count > 0) md.Append("**").Append(Inline(string.Join(", ", c.Tags))).Append("** ");
                    md.Append(Inline(c.Text.ReplaceLineEndings(" "))).Append(" — ").Append(Inline(c.ByName)).Append('\n');
                }
                else
                {
                    md.Append(Block(c.Text)).Append("\n\n— ").Append(Inline(c.ByName)).Append("\n\n");
                }
                empty = false;
            }
            if (section.Kind == SectionKind.Factors && r.ContributionsTo(section.Key).Any()) md.Append('\n');
            if (empty) md.Append('_').Append(section.Required ? "Not written." : "Nothing written.").Append("_\n\n");
        }
        md.Append("---\n\n_A blameless review: it asks how the system let this happen, not who. Exported by the Ops Culture Bot._\n");
        return md.ToString();
    }
}
