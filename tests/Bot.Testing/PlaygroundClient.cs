using System.Net;
using System.Net.Http.Json;
using Bot.Channels.Playground;
using Bot.Core.Conversation;

namespace Bot.Testing;

/// <summary>Speaks the playground's JSON API as the page does.</summary>
public sealed class PlaygroundClient(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public async Task<HttpResponseMessage> SendAsync(string person, string conversation, string text) =>
        await Http.PostAsJsonAsync("/playground/api/messages", new SendRequest(person, conversation, text));

    public async Task<EntryView[]> EntriesAsync(string person, string conversation)
    {
        var response = await Http.GetAsync($"/playground/api/entries?as={Uri.EscapeDataString(person)}&conversation={Uri.EscapeDataString(conversation)}");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<EntryView[]>(PlaygroundJson.Options))!;
    }

    public Task<EntryView[]> DirectMessagesAsync(string person) => EntriesAsync(person, PlaygroundChannel.DirectConversation(person));

    public async Task<(HttpStatusCode Status, SubmitResult? Result)> SubmitAsync(string person, long formEntryId, IReadOnlyDictionary<string, string?> values)
    {
        var response = await Http.PostAsJsonAsync($"/playground/api/forms/{formEntryId}/submit", new SubmitRequest(person, values.ToDictionary()));
        var result = response.StatusCode is HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity
            ? await response.Content.ReadFromJsonAsync<SubmitResult>(PlaygroundJson.Options)
            : null;
        return (response.StatusCode, result);
    }

    public async Task<HttpResponseMessage> ClickAsync(string person, long entryId, Button button) =>
        await Http.PostAsJsonAsync("/playground/api/actions", new ActionRequest(person, entryId, button.ActionId.ToString(), button.Value));

    /// <summary>Waits for an open form for <paramref name="person"/> in the conversation.</summary>
    public Task<EntryView> WaitForFormAsync(string person, string conversation, FormId formId) =>
        WaitForAsync(person, conversation, e => e.Form?.FormId == formId && e.FormState == "Open", $"form {formId} in {conversation}");

    public async Task<EntryView> WaitForAsync(string person, string conversation, Func<EntryView, bool> match, string what)
    {
        var entries = await Eventually.GetAsync(() => EntriesAsync(person, conversation), es => es.Any(match), what);
        return entries.Last(match);
    }
}
