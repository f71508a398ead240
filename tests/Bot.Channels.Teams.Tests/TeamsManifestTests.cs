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
        Assert.All(commands, c => Assert.True(((string)c!["description"]!).Length <= 4000));
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
