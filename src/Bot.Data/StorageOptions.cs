namespace Bot.Data;

public enum StorageProvider { Sqlite, Postgres }

/// <summary>The <c>Storage</c> section and <c>ConnectionStrings:Bot</c>; Hangfire uses the same provider.</summary>
public sealed record StorageOptions(StorageProvider Provider, string ConnectionString)
{
    public const string DefaultSqlite = "Data Source=bot.db";
}
