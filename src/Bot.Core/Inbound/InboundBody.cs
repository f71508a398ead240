using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bot.Core.Inbound;

/// <summary>Reading what a platform posts, before anything trusts it: within a size limit, and as strict JSON.</summary>
public static class InboundBody
{
    /// <summary>The whole body, or null when it is larger than <paramref name="limit"/> bytes (the caller answers 413).</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(Stream body, int limit, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Min(limit, 8192));
        int read;
        while ((read = await body.ReadAsync(buffer.GetMemory(4096), ct)) > 0)
        {
            buffer.Advance(read);
            if (buffer.WrittenCount > limit) return null;
        }
        return buffer.WrittenMemory;
    }

    /// <summary>
    /// A JSON object, or null for anything else. Invalid UTF-8 and duplicate member names are refused here: both
    /// parse, then throw when the value is read, which would turn a malformed body into a crash.
    /// </summary>
    public static JsonObject? ParseObject(ReadOnlySpan<byte> body)
    {
        if (!System.Text.Unicode.Utf8.IsValid(body)) return null;
        try
        {
            return JsonNode.Parse(body, null, new JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
