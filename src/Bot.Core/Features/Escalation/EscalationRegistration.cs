using Bot.Core.Directory;
using Bot.Core.Events;
using Bot.Core.Features.Incidents;
using Bot.Core.Flows;
using Bot.Core.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Features.Escalation;

public static class EscalationRegistration
{
    public static IServiceCollection AddEscalationFeature(this IServiceCollection services)
    {
        services.AddOptions<EscalationOptions>().BindConfiguration(EscalationOptions.Section)
            .Validate(o => o.DefaultAckTimeouts.Now is not { } n || n > TimeSpan.Zero, "Escalation:DefaultAckTimeouts:Now must be positive")
            .Validate(o => o.DefaultAckTimeouts.WithinHour is not { } h || h > TimeSpan.Zero, "Escalation:DefaultAckTimeouts:WithinHour must be positive")
            .Validate(o => o.DefaultAckTimeouts.Today is not { } t || t > TimeSpan.Zero, "Escalation:DefaultAckTimeouts:Today must be positive")
            .ValidateOnStart();
        services.AddConfigurationShapeCheck<EscalationOptions>(EscalationOptions.Section);
        services.AddTeamSettings<EscalationTeamSettings>(EscalationTeamSettings.Section, nameof(EscalationTeamSettings.EscalationPath),
            nameof(EscalationTeamSettings.AckTimeouts));
        services.AddSingleton<EscalationLinks>();
        services.AddScoped<IFlow, EscalationFlow>();
        services.AddSingleton<IReminderHandler, PostEscalationHandler>();
        services.AddSingleton<IReminderHandler, PageHandler>();
        services.AddSingleton<IReminderHandler, ThankHandler>();
        services.AddSingleton<IReminderHandler, ThankForFalseAlarmHandler>();
        services.AddSingleton<IReminderHandler, ReplyAtSourceHandler>();
        services.AddSingleton<IReminderHandler, RefreshEscalationHandler>();
        services.AddSingleton<IReminderHandler, AckTimeoutHandler>();
        services.AddSingleton<IReminderHandler, LegacyStartIncidentHandler>();
        services.AddSingleton<IncidentRequests>();
        services.AddEventSubscriber<IncidentStarted, LinkStartedIncident>("escalation.link-started-incident");
        services.AddEventSubscriber<IncidentStartRefused, ExplainRefusedIncident>("escalation.explain-refused-incident");
        return services;
    }
}
