using System.Text.Json;
using System.Text.Json.Serialization;
using Bot.Core.Conversation;

namespace Bot.Channels.Playground;

/// <summary>How the playground stores and serves the neutral message and form models.</summary>
public static class PlaygroundJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize(Message message) => JsonSerializer.Serialize(message, Options);

    public static string Serialize(Form form) => JsonSerializer.Serialize(form, Options);

    public static Message? ReadMessage(string body) => JsonSerializer.Deserialize<Message>(body, Options);

    public static Form? ReadForm(string body) => JsonSerializer.Deserialize<Form>(body, Options);
}
