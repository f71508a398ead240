using System.Collections.Concurrent;
using Bot.Core.Conversation;
using Bot.Core.Directory;

namespace Bot.Testing;

/// <summary>A hand-written fake of the channel port that records every call, for tests of Core without a channel.</summary>
public sealed class RecordingChannel(string kind = "recording") : IChatChannel
{
    private int _next;

    public sealed record Call(string Method, string Conversation, string? To, Message? Message, Form? Form, string? MessageId = null);

    public ConcurrentQueue<Call> Calls { get; } = new();

    public string Kind { get; } = kind;

    public bool Enabled => true;

    /// <summary>
    /// Runs while a post is "on its way" (it has reached the platform, its answer has not come back), with the send's
    /// cancellation: lets a test put something in between, or make the platform slow.
    /// </summary>
    public Func<CancellationToken, Task>? WhilePosting { get; set; }

    /// <summary>A direct message this returns an error for is refused with it (the platform is down), and not recorded.</summary>
    public Func<Person, Exception?>? RefuseDirectMessage { get; set; }

    public IEnumerable<Call> Of(string method) => Calls.Where(c => c.Method == method);

    public async Task<MessageRef> PostAsync(ConversationAddress to, Message message, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Calls.Enqueue(new Call(nameof(PostAsync), to.ConversationId, null, message, null, id));
        if (WhilePosting is { } between) await between(cancellationToken);
        return new MessageRef(Kind, to.ConversationId, id);
    }

    /// <summary>A post with the tag in the conversation, as a platform's history finds it.</summary>
    public Task<MessageRef?> FindPostAsync(ConversationAddress to, string tag, DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult(Of(nameof(PostAsync)).LastOrDefault(c => c.Conversation == to.ConversationId && c.Message?.Tag == tag) is { } found
            ? new MessageRef(Kind, found.Conversation, found.MessageId!)
            : null);

    public Task UpdateAsync(MessageRef message, Message replacement, CancellationToken cancellationToken)
    {
        Calls.Enqueue(new Call(nameof(UpdateAsync), message.ConversationId, message.MessageId, replacement, null));
        return Task.CompletedTask;
    }

    public Task ReplyPrivatelyAsync(ConversationAddress where, string userId, Message message, CancellationToken cancellationToken)
    {
        Calls.Enqueue(new Call(nameof(ReplyPrivatelyAsync), where.ConversationId, userId, message, null));
        return Task.CompletedTask;
    }

    public Task<MessageRef?> DirectMessageAsync(Person person, Message message, CancellationToken cancellationToken)
    {
        if (RefuseDirectMessage?.Invoke(person) is { } refused) return Task.FromException<MessageRef?>(refused);
        Calls.Enqueue(new Call(nameof(DirectMessageAsync), "dm", person.Key, message, null));
        return Task.FromResult<MessageRef?>(new MessageRef(Kind, "dm:" + person.Key, Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    public Task OpenFormAsync(Interaction interaction, Form form, CancellationToken cancellationToken)
    {
        Calls.Enqueue(new Call(nameof(OpenFormAsync), interaction.Where.ConversationId, interaction.Actor.UserId, null, form));
        return Task.CompletedTask;
    }
}
