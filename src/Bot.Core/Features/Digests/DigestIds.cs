using Bot.Core.Conversation;

namespace Bot.Core.Features.Digests;

/// <summary>The buttons of the digest's worth-a-look items and of the end-of-shift check-in.</summary>
[FlowIds(DigestFlow.Key)]
public enum DigestAction
{
    Sponsor,
    Unblock,
    Seen,
    List,
    [Wire("checkin.open")] OpenCheckIn,

    /// <summary>The OPS03 report's download link button; a click needs no answer.</summary>
    [Wire("ops03.download")] DownloadOps03,
}

/// <summary>The flow's form: the end-of-shift check-in.</summary>
[FlowIds(DigestFlow.Key)]
public enum DigestForm { [Wire("checkin")] CheckIn }
