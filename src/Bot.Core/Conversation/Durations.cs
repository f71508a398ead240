namespace Bot.Core.Conversation;

/// <summary>How long something took, the way people say it: "45 s", "5 min", "2 h 10 min", "3 d 4 h".</summary>
public static class Durations
{
    public static string Format(TimeSpan span) => span switch
    {
        { TotalDays: >= 1 } when span.Hours == 0 => $"{(int)span.TotalDays} d",
        { TotalDays: >= 1 } => $"{(int)span.TotalDays} d {span.Hours} h",
        { TotalHours: >= 1 } when span.Minutes == 0 => $"{(int)span.TotalHours} h",
        { TotalHours: >= 1 } => $"{(int)span.TotalHours} h {span.Minutes} min",
        { TotalMinutes: >= 1 } when span.Seconds == 0 => $"{(int)span.TotalMinutes} min",
        { TotalMinutes: >= 1 } => $"{(int)span.TotalMinutes} min {span.Seconds} s",
        _ => $"{Math.Max(1, (int)span.TotalSeconds)} s",
    };
}
