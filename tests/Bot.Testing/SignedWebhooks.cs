using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Bot.Testing;

/// <summary>Posts to the generic webhooks as an alerting or CI/CD tool does: the raw body signed with the shared secret.</summary>
public static class SignedWebhooks
{
    public const string Secret = "test-webhook-secret-0123456789abcdef";

    public static string Sign(string body, string secret = Secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    public static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string body, string? signature = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("X-Signature-256", signature ?? Sign(body));
        return await http.SendAsync(request);
    }

    public static Task<HttpResponseMessage> IncidentAsync(HttpClient http, string json) => PostAsync(http, "/webhooks/incidents", json);

    public static Task<HttpResponseMessage> DeploymentAsync(HttpClient http, string json) => PostAsync(http, "/webhooks/deployments", json);
}
