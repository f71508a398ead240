using System.Net.Http.Headers;
using System.Text;
using Bot.Channels.Slack;

namespace Bot.Testing;

/// <summary>Builds requests as Slack sends them: signed with the app's signing secret over the exact body bytes.</summary>
public sealed class SlackSigner(string signingSecret, Func<DateTimeOffset> now)
{
    public const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";

    public HttpRequestMessage Form(string path, IEnumerable<KeyValuePair<string, string>> fields) =>
        Signed(path, new FormUrlEncodedContent(fields).ReadAsStringAsync().GetAwaiter().GetResult(), "application/x-www-form-urlencoded");

    public HttpRequestMessage Json(string path, string json) => Signed(path, json, "application/json");

    public HttpRequestMessage Signed(string path, string body, string contentType, long? timestamp = null)
    {
        var ts = (timestamp ?? now().ToUnixTimeSeconds()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-Slack-Request-Timestamp", ts);
        request.Headers.Add("X-Slack-Signature", SlackSignature.Compute(signingSecret, ts, bytes));
        return request;
    }
}
