using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

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
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeOtlpCollector? collector = null;
        app.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            collector!.Exports.Enqueue(new Export(context.Request.Path, context.Request.ContentType, body.ToArray()));
            context.Response.ContentType = "application/x-protobuf";
            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        collector = new FakeOtlpCollector(app, new Uri(address));
        return collector;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
