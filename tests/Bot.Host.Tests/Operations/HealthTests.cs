using System.Net;
using Bot.Testing;

namespace Bot.Host.Tests.Operations;

public abstract class HealthTests(TestProvider provider)
{
    [Fact]
    public async Task LiveAndReady_Answer200_WhenDatabaseAndSchedulerStorageAreUp()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var host = new BotAppFactory(database);
        var http = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        var ready = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }
}

public sealed class HealthOnSqlite() : HealthTests(TestProvider.Sqlite);

public sealed class HealthOnPostgres() : HealthTests(TestProvider.Postgres);

public sealed class ReadinessFailureTests
{
    [Fact]
    public async Task Ready_Answers503_WhenTheDatabaseIsGone()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Postgres);
        await using var host = new BotAppFactory(database);
        var http = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);

        await using (var admin = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = "postgres" }.ConnectionString))
        {
            await admin.OpenAsync();
            Npgsql.NpgsqlConnection.ClearAllPools();
            var name = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString).Database;
            await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE \"{name}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
    }
}
