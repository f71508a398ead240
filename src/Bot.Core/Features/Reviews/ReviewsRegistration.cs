using Bot.Core.Events;
using Bot.Core.Features.Incidents;
using Bot.Core.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Features.Reviews;

public static class ReviewsRegistration
{
    /// <summary>Post-incident reviews. Today: a resolved incident asks its team, once, for a blameless review.</summary>
    public static IServiceCollection AddReviewsFeature(this IServiceCollection services)
    {
        services.AddEventSubscriber<IncidentResolved, AskForReviewOnResolve>("reviews.ask-on-resolve");
        services.AddSingleton<IReminderHandler, AskForReviewHandler>();
        return services;
    }
}
