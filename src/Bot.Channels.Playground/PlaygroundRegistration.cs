using Bot.Core;
using Bot.Core.Conversation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bot.Channels.Playground;

public static class PlaygroundRegistration
{
    public static IServiceCollection AddPlayground(this IServiceCollection services)
    {
        services.AddOptions<PlaygroundOptions>().BindConfiguration(PlaygroundOptions.Section)
            .Validate(o => o.GeneralChannel.Length is > 0 and <= 100, "Playground:GeneralChannel must be 1 to 100 characters")
            .Validate<IHostEnvironment>((o, env) => !o.Enabled || env.IsDevelopment() || o.AllowOutsideDevelopment,
                "Playground:Enabled is on outside Development, where anyone reaching it could act as anyone: turn it off, or set " +
                "Playground:AllowOutsideDevelopment=true to serve it anyway (to callers on this machine only)")
            .ValidateOnStart();
        services.AddConfigurationShapeCheck<PlaygroundOptions>(PlaygroundOptions.Section);
        // The channel is registered even when the page is off, so reminders raised in the playground can still be delivered.
        services.AddSingleton<PlaygroundChannel>();
        services.AddSingleton<IChatChannel>(sp => sp.GetRequiredService<PlaygroundChannel>());
        return services;
    }
}
