using Bot.Core.Events;
using Bot.Core.Flows;
using Bot.Core.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Features.Experiments;

public static class ExperimentsRegistration
{
    /// <summary>
    /// /propose-experiment: proposals in the open, supported, joined, followed and questioned; approval proportionate to
    /// the blast radius; reminders on the start and end dates; results published to the forum and the team.
    /// </summary>
    public static IServiceCollection AddExperimentsFeature(this IServiceCollection services)
    {
        services.AddOptions<ExperimentOptions>().BindConfiguration(ExperimentOptions.Section).ValidateOnStart();
        services.AddConfigurationShapeCheck<ExperimentOptions>(ExperimentOptions.Section);
        services.AddScoped<IFlow, ExperimentFlow>();
        services.AddSingleton<IHomeSection, ExperimentHome>();
        services.AddSingleton<IReminderHandler, PostExperimentHandler>();
        services.AddSingleton<IReminderHandler, RefreshExperimentHandler>();
        services.AddSingleton<IReminderHandler, ThankProposerHandler>();
        services.AddSingleton<IReminderHandler, StartExperimentHandler>();
        services.AddSingleton<IReminderHandler, DueExperimentHandler>();
        services.AddSingleton<IReminderHandler, PublishExperimentHandler>();
        services.AddEventSubscriber<ExperimentMoved, NotifyFollowers>("experiments.notify-followers");
        return services;
    }
}
