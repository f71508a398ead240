namespace Bot.Core.Storage;

public static class StoredTime
{
    /// <summary>
    /// <paramref name="at"/> in UTC, cut to microseconds: what PostgreSQL keeps, so a time used as a claim's generation
    /// compares equal when it is read back or matched in a query, on either database.
    /// </summary>
    public static DateTimeOffset Of(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return utc.AddTicks(-(utc.Ticks % 10));
    }
}
