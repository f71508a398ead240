using Bot.Core.Conversation;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Bot.Channels.Playground;

namespace Bot.Testing.Conformance;

/// <summary>The playground channel, driven through its JSON API.</summary>
public sealed class PlaygroundDriver(PlaygroundClient client, string generalChannel = "#general") : IChannelDriver
{
    public string Channel => PlaygroundChannel.ChannelKind;

    public async Task CommandAsync(string person, string text)
    {
        var response = await client.SendAsync(person, generalChannel, text);
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"Sending '{text}' answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    // The playground's one box takes commands as they are typed in Slack's message box: with their slash.
    public Task SayToBotAsync(string person, string text) => CommandAsync(person, text.StartsWith('/') ? text : "/" + text);

    public Task MentionBotAsync(string person, string teamKey, string text) => SayToBotAsync(person, text);

    public async Task<SeenForm> FormAsync(string person, FormId formId)
    {
        var entry = await WaitAnywhereAsync(person, e => e.Form?.FormId == formId && e.FormState == "Open", $"form {formId} for {person}");
        return new SeenForm(entry.Id.ToString(CultureInfo.InvariantCulture), entry.Form!);
    }

    public async Task<FormOutcome> SubmitAsync(string person, SeenForm form, IReadOnlyDictionary<string, string?> values)
    {
        var (status, result) = await client.SubmitAsync(person, long.Parse(form.Id, CultureInfo.InvariantCulture), values);
        if (result is null) throw new InvalidOperationException($"Submitting {form.Form.FormId} answered {(int)status}.");
        return new FormOutcome(result.Accepted, result.Errors);
    }

    public async Task ClickAsync(string person, SeenMessage message, ActionId actionId)
    {
        var response = await client.ClickAsync(person, long.Parse(message.Id, CultureInfo.InvariantCulture), message.Button(actionId));
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"Clicking {actionId} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public Task<SeenMessage> TeamMessageAsync(string teamKey, Func<SeenMessage, bool> match, string what) =>
        WaitAsync(TeamChannel(teamKey), "sam", m => m.Private == false && match(m.Seen), what);

    public Task<SeenMessage> DirectMessageAsync(string person, Func<SeenMessage, bool> match, string what) =>
        WaitAsync(PlaygroundChannel.DirectConversation(person), person, m => match(m.Seen), what);

    public async Task<SeenMessage> PrivateReplyAsync(string person, Func<SeenMessage, bool> match, string what) =>
        Seen(await WaitAnywhereAsync(person, e => e.Message is not null && e.Private && match(Seen(e)), what));

    public async Task<IReadOnlyList<SeenMessage>> DirectMessagesAsync(string person) =>
        (await client.DirectMessagesAsync(person)).Where(e => e.Message is not null).Select(Seen).ToArray();

    public async Task<IReadOnlyList<SeenMessage>> TeamMessagesAsync(string teamKey) =>
        (await client.EntriesAsync("sam", TeamChannel(teamKey))).Where(e => e.Message is not null && !e.Private).Select(Seen).ToArray();

    /// <summary>Forms and private replies appear where the person acted: any conversation they can see.</summary>
    private async Task<EntryView> WaitAnywhereAsync(string person, Func<EntryView, bool> match, string what)
    {
        var conversations = (await client.Http.GetFromJsonAsync<ConversationView[]>($"/playground/api/conversations?as={Uri.EscapeDataString(person)}"))!;
        var found = await Eventually.GetAsync(async () =>
        {
            foreach (var c in conversations)
            {
                var hit = (await client.EntriesAsync(person, c.Id)).LastOrDefault(match);
                if (hit is not null) return hit;
            }
            return null;
        }, e => e is not null, what);
        return found!;
    }

    private static string TeamChannel(string teamKey) => "#" + teamKey;

    private async Task<SeenMessage> WaitAsync(string conversation, string person, Func<(SeenMessage Seen, bool Private), bool> match, string what)
    {
        var entry = await client.WaitForAsync(person, conversation, e => e.Message is not null && match((Seen(e), e.Private)), what);
        return Seen(entry);
    }

    private static SeenMessage Seen(EntryView e) => new(e.Id.ToString(CultureInfo.InvariantCulture), e.Message!);
}
