using Bot.Channels.Playground;
using Bot.Channels.Slack;
using Bot.Channels.Teams;
using Bot.Core;
using Bot.Host.Operations;
using Bot.Host.Scheduling;
using Bot.Host.Startup;
using Bot.Host.Webhooks;
using Bot.IncidentManager;

// A container health check, in an image with no shell or curl: a short request to the bot on this machine.
if (HealthProbe.Requested(args)) return await HealthProbe.RunAsync(args);

try
{
    var builder = WebApplication.CreateSlimBuilder(args);
    builder.AddExampleDirectoryInDevelopment();
    builder.AddBotLogging();
    builder.AddBotTelemetry();

    builder.Services.AddBotCore();
    builder.Services.AddBotStorage();
    builder.Services.AddBotScheduling();
    builder.Services.AddPlayground();
    builder.Services.AddSlack();
    builder.Services.AddTeams();
    builder.Services.AddIncidentWebhooks();
    builder.Services.AddIncidentManager();
    builder.Services.AddBotHealth();
    builder.Services.AddGracefulShutdown();
    builder.Services.AddBotProblemDetails();

    var app = builder.Build();
    app.UseGracefulShutdown();
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseRateLimiter();
    app.MapBotHealth();
    app.MapBotHangfireDashboard();
    app.MapPlayground();
    var inbound = app.MapVerifiedInbound();
    inbound.MapSlack();
    inbound.MapTeams();
    inbound.MapIncidentWebhooks();
    inbound.MapIncidentManager();
    app.MapEscalationLinks();
    app.MapSignedLinks();
    app.MapCharts();
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (StartupErrors.Describe(ex) is { } line)
{
    Console.Error.WriteLine(line);
    return 2;
}

public partial class Program;
