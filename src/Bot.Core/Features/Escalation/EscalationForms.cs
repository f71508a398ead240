using Bot.Core.Conversation;
using Bot.Core.Directory;

namespace Bot.Core.Features.Escalation;

/// <summary>The two forms of the flow: raising an escalation and resolving one with an outcome.</summary>
public static class EscalationForms
{
    public static readonly FormId RaiseId = FormId.Of(EscalationForm.Raise);
    public static readonly FormId ResolveId = FormId.Of(EscalationForm.Resolve);
    public const int SummaryMax = 3000;
    public const int OutcomeMax = 300;
    public const int SourceUrlMax = 1000;
    public const int SourceThreadMax = 300;

    /// <summary>The raise form; raised from a message, it carries that message (its link and thread) in its private state.</summary>
    public static Form Raise(string text, IReadOnlyList<Service> services, IReadOnlyList<Team> teams, SourceMessage? from = null)
    {
        var summary = Plain.Limit(text, SummaryMax);
        var teamNames = teams.ToDictionary(t => t.Key, t => t.Name);
        return new Form(RaiseId, "Escalate", [
            new FormField("summary", "What is wrong?", FieldKind.Multiline, Required: true, Initial: summary.Length == 0 ? null : summary,
                Placeholder: "e.g. Checkout fails for card payments since 14:00", MaxLength: SummaryMax),
            new FormField("service", "Service", FieldKind.Select, Initial: GuessService(summary, services)?.Key,
                Options: services.Select(s => new FormOption(s.Key, teamNames.TryGetValue(s.TeamKey, out var team) ? $"{s.Name} ({team})" : s.Name)).ToArray(),
                Hint: "The owning team is asked unless you pick another one below."),
            new FormField("impact", "Customer impact", FieldKind.Select, Required: true,
                Options: EscalationText.Impacts.Select(i => new FormOption(i.Value.ToString(), i.Label)).ToArray()),
            new FormField("urgency", "How urgent?", FieldKind.Select, Required: true, Initial: nameof(Urgency.Now),
                Options: EscalationText.Urgencies.Select(u => new FormOption(u.Value.ToString(), u.Label)).ToArray()),
            new FormField("tried", "What have you tried?", FieldKind.Multiline, MaxLength: SummaryMax,
                Placeholder: "Anything helps, even \"nothing yet\""),
            new FormField("team", "Which team?", FieldKind.Select,
                Options: teams.Select(t => new FormOption(t.Key, t.Name)).ToArray(),
                Hint: "Leave empty to ask the team that owns the service."),
        ], "Escalate", Source.Write(from));
    }

    /// <summary>The message an escalation is raised from, as the raise form carries it: <c>{"u": link, "t": thread}</c>.</summary>
    public static class Source
    {
        public static string? Write(SourceMessage? from) =>
            from is null ? null : new System.Text.Json.Nodes.JsonObject { ["u"] = from.Url, ["t"] = from.Thread?.ConversationId }.ToJsonString();

        /// <summary>
        /// The link and thread a submitted form names, each kept only when it is well formed: an absolute https link, a
        /// thread address of sensible length. Anything else is dropped, never trusted.
        /// </summary>
        public static (string? Url, string? Thread) Read(string? state)
        {
            if (string.IsNullOrEmpty(state)) return (null, null);
            try
            {
                var node = System.Text.Json.Nodes.JsonNode.Parse(state) as System.Text.Json.Nodes.JsonObject;
                var url = node?["u"] is System.Text.Json.Nodes.JsonValue u && u.TryGetValue<string>(out var link) && link.Length <= SourceUrlMax
                          && Uri.TryCreate(link, UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttps ? link : null;
                var thread = node?["t"] is System.Text.Json.Nodes.JsonValue t && t.TryGetValue<string>(out var at) && at.Length is > 0 and <= SourceThreadMax
                             && !at.Any(char.IsWhiteSpace) ? at : null;
                return (url, thread);
            }
            catch (System.Text.Json.JsonException)
            {
                return (null, null);
            }
        }
    }

    public static Form Resolve(Escalation escalation) =>
        new(ResolveId, "Resolve escalation", [
            new FormField("kind", "Outcome", FieldKind.Select, Required: true, Initial: nameof(EscalationOutcome.Fixed),
                Options: EscalationText.Outcomes.Select(o => new FormOption(o.Value.ToString(), o.Label)).ToArray(),
                Hint: "A false alarm is still a good escalation: asking early is what we want."),
            new FormField("outcome", $"How was {EscalationReference.Of(escalation.Id)} resolved?", FieldKind.Text, Required: true,
                Placeholder: "One line: what fixed it, or why no action is needed", MaxLength: OutcomeMax),
        ], "Resolve", escalation.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static Service? GuessService(string text, IReadOnlyList<Service> services)
    {
        if (text.Length == 0) return null;
        var words = text.Split([' ', ',', '.', ':', ';', '!', '?', '\n', '\t', '(', ')'], StringSplitOptions.RemoveEmptyEntries);
        return services.FirstOrDefault(s => words.Any(w =>
            string.Equals(w, s.Key, StringComparison.OrdinalIgnoreCase) || string.Equals(w, s.Name, StringComparison.OrdinalIgnoreCase)));
    }
}
