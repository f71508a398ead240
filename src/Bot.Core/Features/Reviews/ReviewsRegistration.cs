using Bot.Core.Directory;
using Bot.Core.Events;
using Bot.Core.Features.Escalation;
using Bot.Core.Features.Incidents;
using Bot.Core.Flows;
using Bot.Core.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Features.Reviews;

public static class ReviewsRegistration
{
    /// <summary>
    /// Blameless post-incident reviews: started by a resolved incident, an escalation that needs one, or /review start;
    /// written in chat with timed prompts, coached, turned into action items, and published as learnings.
    /// </summary>
    public static IServiceCollection AddReviewsFeature(this IServiceCollection services)
    {
        services.AddOptions<ReviewOptions>().BindConfiguration(ReviewOptions.Section)
            .Validate(o => o.ExportLinkLifetime > TimeSpan.Zero && o.ExportLinkLifetime <= TimeSpan.FromDays(90), "Reviews:ExportLinkLifetime must be from 1 second to 90 days")
            .Validate(o => o.CoachPhrases.All(p => p.Phrase.Trim().Length > 0 && p.Suggestion.Trim().Length > 0),
                "Reviews:CoachPhrases entries need a Phrase and a Suggestion")
            .ValidateOnStart();
        services.AddConfigurationShapeCheck<ReviewOptions>(ReviewOptions.Section);
        services.AddTeamSettings<ReviewTeamSettings>(ReviewTeamSettings.Section);
        services.AddSingleton<ReviewStarter>();
        services.AddSingleton<BlamelessCoach>();
        services.AddSingleton<ReviewExports>();
        services.AddSingleton<ILinkTarget>(sp => sp.GetRequiredService<ReviewExports>());
        services.AddScoped<IFlow, ReviewFlow>();
        services.AddSingleton<IHomeSection, ReviewHome>();
        // The name deliveries pending from before reviews were written in chat carry: they start the review now.
        services.AddEventSubscriber<IncidentResolved, StartReviewOnIncidentResolved>(StartReviewOnIncidentResolved.SubscriberName);
        services.AddEventSubscriber<EscalationResolved, StartReviewOnEscalationResolved>("reviews.start-on-escalation-resolved");
        services.AddSingleton<IReminderHandler, PrefillTimelineHandler>();
        services.AddSingleton<IReminderHandler, PromptHandler>();
        services.AddSingleton<IReminderHandler, OverdueHandler>();
        services.AddSingleton<IReminderHandler, RefreshDraftHandler>();
        services.AddSingleton<IReminderHandler, PublishHandler>();
        services.AddSingleton<IReminderHandler, ItemAssignedHandler>();
        services.AddSingleton<IReminderHandler, ItemRefreshHandler>();
        services.AddSingleton<IReminderHandler, ItemDueHandler>();
        services.AddSingleton<IReminderHandler, LegacyAskHandler>();
        return services;
    }
}
