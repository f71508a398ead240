using Bot.Core.Directory;
using Bot.Core.Flows;
using Bot.Core.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Features.Digests;

public static class DigestsRegistration
{
    /// <summary>
    /// Culture-health digests: /digest on demand, and every week to each team's managers in the team's local time; the
    /// outgoing on-call's end-of-shift check-in at each rotation hand-off.
    /// </summary>
    public static IServiceCollection AddDigestsFeature(this IServiceCollection services)
    {
        services.AddTeamSettings<DigestTeamSettings>(DigestTeamSettings.Section);
        services.AddScoped<IFlow, DigestFlow>();
        services.AddSingleton<ITeamRecurringJob, WeeklyDigest>();
        services.AddSingleton<IReminderHandler, WeeklyDigestHandler>();
        services.AddSingleton<IRecurringJob, CheckInPrompts>();
        services.AddScoped<CheckInAnswers>();
        services.AddScoped<DigestItems>();
        services.AddSingleton<DigestCharts>();
        services.AddSingleton<Ops03Report>();
        services.AddSingleton<ILinkTarget>(sp => sp.GetRequiredService<Ops03Report>());
        return services;
    }
}
