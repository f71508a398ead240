namespace Bot.Core.Storage;

/// <summary>A record two turns may change at once (a click racing a timeout); the loser's save fails and is retried.</summary>
public interface IVersioned
{
    int Version { get; set; }
}
