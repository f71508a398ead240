using System.Reflection;
using Bot.Core.Storage;
using Bot.Data;
using Microsoft.EntityFrameworkCore;

namespace Bot.Host.Tests.Architecture;

/// <summary>The dependency rules of the design: Core depends on nothing platform-specific; adapters depend on Core only.</summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Core = typeof(BotDbContext).Assembly;

    private static readonly string[] ForbiddenInCore =
    [
        "Microsoft.AspNetCore", "Hangfire", "Npgsql", "Microsoft.EntityFrameworkCore.Sqlite", "Microsoft.Data.Sqlite",
        "SlackNet", "Microsoft.Bot", "AWSSDK", "Bot.Data", "Bot.Channels", "Bot.Host", "Bot.IncidentManager",
    ];

    [Fact]
    public void Core_ReferencesNoWebFrameworkSchedulerProviderOrPlatform()
    {
        var references = Core.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        Assert.DoesNotContain(references, r => ForbiddenInCore.Any(f => r.StartsWith(f, StringComparison.Ordinal)));
    }

    [Fact]
    public void Core_PublicTypesDoNotExposeForbiddenTypes()
    {
        var leaks = Core.GetExportedTypes()
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .SelectMany(Signature).Select(x => (Type: t, Used: x)))
            .Where(x => x.Used.Namespace is { } ns && ForbiddenInCore.Any(f => ns.StartsWith(f, StringComparison.Ordinal)))
            .Select(x => $"{x.Type.FullName} uses {x.Used.FullName}")
            .ToArray();
        Assert.Empty(leaks);
    }

    [Theory]
    [InlineData("Bot.Data")]
    [InlineData("Bot.Channels.Playground")]
    [InlineData("Bot.Channels.Slack")]
    [InlineData("Bot.Channels.Teams")]
    [InlineData("Bot.IncidentManager")]
    public void Adapters_ReferenceCoreOnly_NeverEachOtherOrTheHost(string name)
    {
        var assembly = Assembly.Load(name);
        var projects = assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("Bot.", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["Bot.Core"], projects);
    }

    [Fact]
    public void EveryEntity_IsConfiguredBesideItsType_AndTheContextListsNone()
    {
        var configurations = Core.GetTypes()
            .SelectMany(t => t.GetInterfaces()
                .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEntityTypeConfiguration<>))
                .Select(i => (Configuration: t, Entity: i.GetGenericArguments()[0])))
            .ToArray();
        using var db = new SqliteBotDbContext(new DbContextOptionsBuilder<SqliteBotDbContext>().UseSqlite("Data Source=:memory:").Options);
        // Owned types (a person's identities) are configured by their owner.
        var misplaced = db.Model.GetEntityTypes().Where(e => !e.IsOwned()).Select(e => e.ClrType)
            .Select(entity => (entity, configured: configurations.Where(c => c.Entity == entity).ToArray()))
            .Where(x => x.configured.Length != 1 || x.configured[0].Configuration.Namespace != x.entity.Namespace)
            .Select(x => $"{x.entity.FullName} is configured by [{string.Join(", ", x.configured.Select(c => c.Configuration.FullName))}]")
            .ToArray();
        Assert.Empty(misplaced);
        Assert.DoesNotContain(typeof(BotDbContext).GetProperties(), p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(DbSet<>));
    }

    [Fact]
    public void Core_NamesNoChannel_NeitherInStringsNorInMemberNames()
    {
        var core = Path.Combine(Path.GetDirectoryName(HostSource())!, "Bot.Core");
        var literals = Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(core, f), Line: i + 1, Text: line)))
            .Where(l => !l.Text.TrimStart().StartsWith("//", StringComparison.Ordinal)
                && System.Text.RegularExpressions.Regex.IsMatch(l.Text, "\"(slack|teams|msteams)\""))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToArray();
        Assert.Empty(literals);
        var members = Core.GetTypes()
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Select(m => $"{t.Name}.{m.Name}").Prepend(t.Name))
            .Where(n => n.Contains("Slack", StringComparison.Ordinal) || System.Text.RegularExpressions.Regex.IsMatch(n, "(^|\\.)Teams[A-Z]|Aad"))
            .ToArray();
        Assert.Empty(members);
    }

    [Fact]
    public void HostProgram_IsATableOfContents()
    {
        var program = File.ReadAllLines(Path.Combine(HostSource(), "Program.cs"));
        Assert.True(program.Length < 60, "Program.cs should stay a short list of AddX/MapX calls.");
    }

    private static IEnumerable<Type> Signature(MemberInfo member) => member switch
    {
        MethodInfo m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType),
        PropertyInfo p => [p.PropertyType],
        FieldInfo f => [f.FieldType],
        ConstructorInfo c => c.GetParameters().Select(p => p.ParameterType),
        _ => [],
    };

    private static string HostSource()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "Bot.sln"))) dir = dir.Parent;
        return Path.Combine(dir.FullName, "src", "Bot.Host");
    }
}
