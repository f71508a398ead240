using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing;

/// <summary>An OTLP/HTTP receiver on loopback: records each export (path, content type, raw protobuf body).</summary>
public sealed class FakeOtlpCollector : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeOtlpCollector(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public sealed record Export(string Path, string? ContentType, byte[] Body)
    {
        /// <summary>Protobuf keeps strings as UTF-8 bytes, so names of spans and instruments can be found in the body.</summary>
        public bool Mentions(string text) => Encoding.UTF8.GetString(Body).Contains(text, StringComparison.Ordinal);
    }

    public Uri Address { get; }
    public ConcurrentQueue<Export> Exports { get; } = new();

    public static async Task<FakeOtlpCollector> StartAsync()
    {
        FakeOtlpCollector? collector = null;
        var (app, address) = await LoopbackServer.StartAsync(app => app.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            collector!.Exports.Enqueue(new Export(context.Request.Path, context.Request.ContentType, body.ToArray()));
            context.Response.ContentType = "application/x-protobuf";
        }));
        collector = new FakeOtlpCollector(app, address);
        return collector;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
