using System.Buffers.Binary;
using System.Text.Json.Nodes;

namespace Bot.Channels.Teams.Tests;

/// <summary>The app package's parts: the manifest's shape and the icons' sizes Teams requires.</summary>
public sealed class TeamsManifestTests
{
    private static string Folder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "Bot.sln"))) dir = dir.Parent;
        return Path.Combine(dir.FullName, "manifests", "teams");
    }

    [Fact]
    public void Manifest_DeclaresTheBotInEveryScope_WithItsCommands()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder(), "manifest.json")))!;
        Assert.Equal("1.29", (string)manifest["manifestVersion"]!);
        Assert.True(Guid.TryParse((string)manifest["id"]!, out _));
        Assert.True((string)manifest["name"]!["short"]! is { Length: <= 30 });
        Assert.True((string)manifest["description"]!["short"]! is { Length: <= 80 });
        var bot = manifest["bots"]![0]!;
        Assert.Equal(["personal", "team", "groupChat"], bot["scopes"]!.AsArray().Select(s => (string)s!));
        var commands = bot["commandLists"]![0]!["commands"]!.AsArray();
        Assert.Equal(["escalate", "incident", "propose-experiment", "experiments", "review", "digest", "help"], commands.Select(c => (string)c!["title"]!));
        // The schema's limits for a bot command: a title of 32 characters, a description of 128.
        Assert.All(commands, c => Assert.True(((string)c!["title"]!).Length <= 32 && ((string)c["description"]!).Length <= 128));
    }

    [Fact]
    public void Manifest_OffersTheMessageActions_TheBotAnswers()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder(), "manifest.json")))!;
        var extension = Assert.Single(manifest["composeExtensions"]!.AsArray())!;
        Assert.Equal((string)manifest["bots"]![0]!["botId"]!, (string)extension["botId"]!);
        var commands = extension["commands"]!.AsArray();
        Assert.Equal(TeamsMessageActions.Commands.Keys.Order(), commands.Select(c => (string)c!["id"]!).Order());
        Assert.All(commands, c =>
        {
            Assert.Equal("action", (string)c!["type"]!);
            Assert.Equal(["message"], c["context"]!.AsArray().Select(x => (string)x!));
            Assert.True((bool)c["fetchTask"]!);
            Assert.True(((string)c["title"]!).Length <= 32 && ((string)c["id"]!).Length <= 64 && ((string)c["description"]!).Length <= 128);
        });
    }

    /// <summary>Microsoft's published schema for the manifest's version, where a copy is beside the checkout (<c>shared/schemas/teams-manifest-1.29.json</c>).</summary>
    [SkippableFact]
    public async Task Manifest_IsValidAgainstThePublishedSchemaOfItsVersion()
    {
        var dir = new DirectoryInfo(Folder()).Parent!.Parent!.Parent;
        var path = dir is null ? null : Path.Combine(dir.FullName, "shared", "schemas", "teams-manifest-1.29.json");
        Skip.If(path is null || !File.Exists(path), "The published Teams manifest 1.29 schema (shared/schemas/teams-manifest-1.29.json) is not present beside this checkout.");
        // The manifest schema is draft-04, which NJsonSchema reads.
        var schema = await NJsonSchema.JsonSchema.FromJsonAsync(await File.ReadAllTextAsync(path!));
        var errors = schema.Validate(await File.ReadAllTextAsync(Path.Combine(Folder(), "manifest.json")));
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Theory]
    [InlineData("color.png", 192)]
    [InlineData("outline.png", 32)]
    public void Icons_HaveTheSizesTeamsRequires(string file, int size)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Folder(), file));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        Assert.Equal(size, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.Equal(size, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }
}
