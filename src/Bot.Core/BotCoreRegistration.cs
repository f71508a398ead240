using Bot.Core.Conversation;
using Bot.Core.Directory;
using Bot.Core.Features;
using Bot.Core.Flows;
using Bot.Core.Scheduling;
using Bot.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bot.Core;

public static class BotCoreRegistration
{
    /// <summary>The channel-neutral heart: directory, flows, router, reminders. Storage and the scheduler are added by the host.</summary>
    public static IServiceCollection AddBotCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<DirectoryOptions>().BindConfiguration(DirectoryOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DirectoryOptions>, DirectoryValidator>();
        services.AddSingleton<IPostConfigureOptions<DirectoryOptions>, IdentityAliases.Apply>();
        services.AddSingleton<IdentityLinker>();
        // Each team may carry feature sections (and their older keys), registered by the features; each person the
        // identity aliases channels registered.
        services.AddSingleton<IValidateOptions<DirectoryOptions>>(sp => new ConfigurationShapeValidator<DirectoryOptions>(
            sp.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>(), DirectoryOptions.Section,
            new Dictionary<Type, IReadOnlyDictionary<string, Type>>
            {
                [typeof(TeamOptions)] = sp.GetServices<TeamSettingsSection>()
                    .SelectMany(s => s.LegacyKeys.Select(k => (k, s.Type.GetProperty(k)!.PropertyType)).Prepend((s.Name, s.Type)))
                    .ToDictionary(x => x.Item1, x => x.Item2, StringComparer.OrdinalIgnoreCase),
                [typeof(PersonOptions)] = sp.GetServices<IdentityAlias>().ToDictionary(a => a.Key, _ => typeof(string), StringComparer.OrdinalIgnoreCase),
            }));
        services.AddConfigurationShapeCheck<SchedulingOptions>(SchedulingOptions.Section);
        services.AddOptions<SchedulingOptions>().BindConfiguration(SchedulingOptions.Section)
            .Validate(o => o.ClaimLease > TimeSpan.Zero, "Scheduling:ClaimLease must be positive")
            .Validate(o => o.SweepInterval >= TimeSpan.FromSeconds(1), "Scheduling:SweepInterval must be at least one second")
            .Validate(o => o.MaxAttempts >= 1, "Scheduling:MaxAttempts must be at least 1")
            .Validate(o => o.RetryDelay > TimeSpan.Zero && o.MaxRetryDelay >= o.RetryDelay, "Scheduling:RetryDelay must be positive and at most Scheduling:MaxRetryDelay")
            .ValidateOnStart();
        services.AddOptions<BotOptions>().BindConfiguration(BotOptions.Section)
            .Validate(o => o.PublicBaseUrl is null || (o.PublicBaseUrl.IsAbsoluteUri && o.PublicBaseUrl.Scheme is "https" or "http"), "Bot:PublicBaseUrl must be an absolute http(s) URL")
            .Validate(o => SafeSettings.SecureOrLoopback(o.PublicBaseUrl),
                "Bot:PublicBaseUrl must be https: signed links travel there (http only to this machine, for tests)")
            .ValidateOnStart();
        services.AddConfigurationShapeCheck<BotOptions>(BotOptions.Section);
        services.AddSingleton<SignedLinks>();
        services.AddScoped<DirectorySeeder>();
        services.AddSingleton<DirectoryCache>();
        services.AddScoped<ReminderDispatchInterceptor>();
        services.AddScoped<TurnFollowUps>();
        services.AddSingleton<DeliveryClaims>();
        services.AddSingleton<InstallationIdentity>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryClaims>());
        services.AddSingleton<ReminderRunner>();
        services.AddSingleton<ChannelRegistry>();
        services.AddSingleton<Events.EventSubscriptions>();
        services.AddSingleton<Cards.LivingCards>();
        services.AddSingleton<IReminderGiveUpListener, Cards.UnreachableChannelListener>();
        services.AddSingleton<IReminderHandler, Cards.UnreachableNoticeHandler>();
        services.AddBotFeatures();
        return services;
    }

    /// <summary>Validates the raw <paramref name="section"/> against <typeparamref name="T"/> on start (see <see cref="ConfigurationShapeValidator{T}"/>).</summary>
    public static IServiceCollection AddConfigurationShapeCheck<T>(this IServiceCollection services, string section) where T : class =>
        services.AddSingleton<IValidateOptions<T>>(sp => new ConfigurationShapeValidator<T>(sp.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>(), section));
}
