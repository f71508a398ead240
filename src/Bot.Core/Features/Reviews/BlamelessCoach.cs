using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Bot.Core.Features.Reviews;

/// <summary>
/// A phrase that points at a person rather than a system, and a systemic question to ask instead. With
/// <see cref="AboutPeopleOnly"/> it is noted only when a person is its subject ("Sam failed to", not "the deploy failed to").
/// </summary>
public sealed class CoachPhrase
{
    public string Phrase { get; set; } = "";
    public string Suggestion { get; set; } = "";
    public bool AboutPeopleOnly { get; set; }
}

/// <summary>A gentle note shown beside saved text: the phrase found and a systemic rewording.</summary>
public sealed record CoachNote(string Phrase, string Suggestion);

/// <summary>
/// The blameless-language coach: reads what someone saved and notes phrases that blame people, with a question that
/// looks at the system instead. It never blocks saving.
/// </summary>
public sealed partial class BlamelessCoach(IOptions<ReviewOptions> options)
{
    private const string Systemic = "What made this easy to miss, and what in the system would have caught it?";

    public static readonly IReadOnlyList<CoachPhrase> Defaults =
    [
        P("human error", "\"Human error\" ends the inquiry where it should start: what in the tool or process made the mistake easy to make?"),
        P("user error", "What in the design let a reasonable action cause harm?"),
        P("should have", "Hindsight reads as blame. " + Systemic),
        P("should've", "Hindsight reads as blame. " + Systemic),
        P("shouldn't have", "Hindsight reads as blame. What made this look like the right thing to do at the time?"),
        P("should not have", "Hindsight reads as blame. What made this look like the right thing to do at the time?"),
        P("failed to", "Describe what the system did not do: what made this step easy to skip?", people: true),
        P("forgot", "People forget; systems remind. What would have made this hard to forget (a checklist, an alert, automation)?"),
        P("careless", "Name the condition, not the person: what made care hard here (time pressure, noise, unclear ownership)?"),
        P("didn't bother", "What made this step feel optional? How could the process make it the easy path?"),
        P("did not bother", "What made this step feel optional? How could the process make it the easy path?"),
        P("'s fault", "Faults belong to systems: which safeguard was missing?"),
        P("’s fault", "Faults belong to systems: which safeguard was missing?"),
        P("fault of", "Faults belong to systems: which safeguard was missing?"),
        P("to blame", "Look for the conditions, not the culprit: what let this happen?"),
        P("blamed", "Look for the conditions, not the culprit: what let this happen?"),
        P("negligent", "Name the condition, not the person: what made the right thing hard to do?"),
        P("negligence", "Name the condition, not the person: what made the right thing hard to do?"),
        P("incompetent", "Name the gap in training, tooling or information, not the person."),
        P("not paying attention", "Attention runs out; what in the alerting or process would have drawn it?"),
        P("broke", "Say what changed in the system and which check let it through.", people: true),
        P("messed up", "Say what changed in the system and which check let it through.", people: true),
        P("screwed up", "Say what changed in the system and which check let it through.", people: true),
        P("ignored", "What made the signal easy to dismiss (noise, wording, timing)?", people: true),
        P("missed", Systemic, people: true),
        P("overlooked", Systemic, people: true),
        P("skipped", "What made this step feel optional? How could the process make it the easy path?", people: true),
        P("didn't check", "What would have made the check automatic, or its absence visible?", people: true),
        P("did not check", "What would have made the check automatic, or its absence visible?", people: true),
        P("didn't test", "What would have made testing the easy path here?", people: true),
        P("did not test", "What would have made testing the easy path here?", people: true),
    ];

    /// <summary>Words that make a person the subject of a phrase.</summary>
    private static readonly HashSet<string> PersonWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "i", "we", "he", "she", "they", "you", "someone", "somebody", "nobody", "no-one", "anyone", "everyone", "engineer", "engineers",
        "developer", "developers", "dev", "devs", "operator", "operators", "admin", "oncall", "on-call", "responder", "person", "people",
        "colleague", "teammate", "intern", "manager", "him", "her", "them",
    };

    /// <summary>Words between a subject and the phrase that keep the person as its subject ("Sam completely forgot").</summary>
    private static readonly HashSet<string> Fillers = new(StringComparer.OrdinalIgnoreCase)
    {
        "just", "simply", "completely", "totally", "also", "then", "again", "clearly", "obviously", "apparently", "accidentally", "had", "has", "have", "who",
    };

    private IReadOnlyList<CoachPhrase> Phrases => options.Value.UseDefaultPhrases ? [.. Defaults, .. options.Value.CoachPhrases] : options.Value.CoachPhrases;

    /// <summary>Notes for <paramref name="text"/>; <paramref name="names"/> are directory people's names (full or first), counted as subjects.</summary>
    public IReadOnlyList<CoachNote> Check(string text, IEnumerable<string> names)
    {
        var nameWords = new HashSet<string>(names.SelectMany(n => new[] { n }.Concat(n.Split(' ', StringSplitOptions.RemoveEmptyEntries))),
            StringComparer.OrdinalIgnoreCase);
        var notes = new List<CoachNote>();
        foreach (var phrase in Phrases.Where(p => p.Phrase.Length > 0))
        {
            foreach (Match match in Regex.Matches(text, Pattern(phrase.Phrase), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
            {
                if (phrase.AboutPeopleOnly && !PersonBefore(text[..match.Index], nameWords)) continue;
                notes.Add(new CoachNote(match.Value.Trim(), phrase.Suggestion));
                break;
            }
        }
        return notes.DistinctBy(n => n.Suggestion).ToArray();
    }

    private static string Pattern(string phrase)
    {
        var escaped = Regex.Escape(phrase);
        var start = char.IsLetterOrDigit(phrase[0]) ? @"\b" : "";
        return start + escaped + @"\b";
    }

    /// <summary>Whether the words just before a phrase name a person: a pronoun, a role, or a directory name (possessives count).</summary>
    private static bool PersonBefore(string before, HashSet<string> names)
    {
        var words = WordSplit().Split(before).Where(w => w.Length > 0).Reverse().Take(4).ToArray();
        foreach (var raw in words)
        {
            var word = raw.EndsWith("'s", StringComparison.Ordinal) || raw.EndsWith("’s", StringComparison.Ordinal) ? raw[..^2] : raw;
            if (PersonWords.Contains(word) || names.Contains(word)) return true;
            if (!Fillers.Contains(word)) return false;
        }
        return false;
    }

    private static CoachPhrase P(string phrase, string suggestion, bool people = false) =>
        new() { Phrase = phrase, Suggestion = suggestion, AboutPeopleOnly = people };

    [GeneratedRegex(@"[^\p{L}\p{N}'’-]+")]
    private static partial Regex WordSplit();
}
