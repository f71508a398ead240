using Bot.Core.Conversation;

namespace Bot.Channels.Playground;

public sealed record SendRequest(string? As, string? Conversation, string? Text);

public sealed record ActionRequest(string? As, long? EntryId, string? ActionId, string? Value);

public sealed record SubmitRequest(string? As, Dictionary<string, string?>? Values);

public sealed record PersonView(string Key, string Name, IReadOnlyList<string> Teams);

public sealed record TeamView(string Key, string Name, string? Channel);

public sealed record DirectoryView(IReadOnlyList<PersonView> People, IReadOnlyList<TeamView> Teams);

public sealed record ConversationView(string Id, string Title, bool Direct);

public sealed record EntryView(
    long Id,
    string Kind,
    string? Author,
    bool Private,
    Message? Message,
    Form? Form,
    string? Text,
    string? FormState,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Revision);

public sealed record SubmitResult(bool Accepted, IReadOnlyDictionary<string, string> Errors);
