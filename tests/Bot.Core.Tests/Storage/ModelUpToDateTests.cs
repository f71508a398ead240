using Bot.Core.Storage;
using Bot.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Bot.Core.Tests.Storage;

/// <summary>
/// The model in code, the migrations and the compiled model (which the host runs on, for start-up time and memory)
/// agree, on each provider. After a model change: add a migration and run <c>dotnet ef dbcontext optimize</c> (README).
/// </summary>
public abstract class ModelUpToDateTests(TestProvider provider)
{
    [Fact]
    public async Task MigrationsAndCompiledModel_MatchTheModelInCode()
    {
        await using var core = await CoreHarness.CreateAsync(provider);
        await core.WithDbAsync(db =>
        {
            Assert.False(db.Database.HasPendingModelChanges(), "The model has changes no migration holds: add one.");
            var compiled = db.Model;
            Assert.Contains("CompiledModels", compiled.GetType().Namespace, StringComparison.Ordinal);
            var designed = db.GetService<IDesignTimeModel>().Model;
            Assert.Equal(Shape(designed), Shape(compiled));
            return Task.FromResult(0);
        });
    }

    /// <summary>What the database sees of a model: tables, columns (type, nullability, length, conversion), keys and indexes.</summary>
    private static string[] Shape(IModel model) => model.GetEntityTypes().OrderBy(e => e.Name, StringComparer.Ordinal).SelectMany(e =>
        e.GetProperties().Select(p =>
                $"{e.GetTableName()}.{p.GetColumnName()} {p.ClrType.Name} null={p.IsNullable} max={p.GetMaxLength()} conv={p.GetValueConverter()?.ProviderClrType.Name} concurrency={p.IsConcurrencyToken}")
            .Concat(e.GetKeys().Select(k => $"{e.GetTableName()} key({string.Join(",", k.Properties.Select(p => p.Name))}) primary={k.IsPrimaryKey()}"))
            .Concat(e.GetIndexes().Select(i => $"{e.GetTableName()} index({string.Join(",", i.Properties.Select(p => p.Name))}) unique={i.IsUnique}"))
            .Concat(e.GetForeignKeys().Select(f => $"{e.GetTableName()} fk({string.Join(",", f.Properties.Select(p => p.Name))})->{f.PrincipalEntityType.Name} {f.DeleteBehavior}")))
        .ToArray();
}

public sealed class ModelUpToDateOnSqlite() : ModelUpToDateTests(TestProvider.Sqlite);

public sealed class ModelUpToDateOnPostgres() : ModelUpToDateTests(TestProvider.Postgres);
