using System.Diagnostics;
using Bot.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Bot.Host.Operations;

/// <summary>The <c>Shutdown</c> section: how a stopping host drains.</summary>
public sealed class ShutdownOptions
{
    public const string Section = "Shutdown";

    /// <summary>Everything a stop does, from SIGTERM to exit (the host's <c>HostOptions.ShutdownTimeout</c>).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a stopping host keeps serving while it reports not ready, so load balancers stop sending to it before it
    /// refuses requests (Kubernetes takes a few seconds to take a pod out of its endpoints).
    /// </summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a reminder being run as a Hangfire job may take to finish before it is cut short and handed back.</summary>
    public TimeSpan ReminderGrace => Timeout / 6;
}

/// <summary>Where the host stands in a stop: draining (not ready) and then refusing new requests.</summary>
public sealed class ShutdownState
{
    private int _inFlight;
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private volatile bool _draining;
    private volatile bool _refusing;

    public bool Draining => _draining;
    public bool Refusing => _refusing;

    public void StartDraining() => _draining = true;

    public void StartRefusing()
    {
        _refusing = true;
        if (Volatile.Read(ref _inFlight) == 0) _idle.TrySetResult();
    }

    public void Enter() => Interlocked.Increment(ref _inFlight);

    public void Leave()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && Refusing) _idle.TrySetResult();
    }

    /// <summary>Completes when no request taken before the refusal is still being answered.</summary>
    public Task RequestsDoneAsync(CancellationToken ct) => _idle.Task.WaitAsync(ct);
}

/// <summary>
/// A graceful stop (SIGTERM, a deploy), run before the server stops listening so <c>/health/ready</c> answers 503
/// throughout: report not ready, keep serving for <see cref="ShutdownOptions.DrainDelay"/>, refuse new requests (503 with
/// Retry-After, which Slack and webhook senders retry elsewhere), let the requests being answered finish, then drain
/// every <see cref="IDrainOnShutdown"/> part stage by stage, all within <see cref="ShutdownOptions.Timeout"/>.
/// </summary>
public sealed partial class GracefulShutdown(
    ShutdownState state,
    IEnumerable<IDrainOnShutdown> parts,
    IOptions<ShutdownOptions> options,
    TimeProvider clock,
    ILogger<GracefulShutdown> logger) : IHostedLifecycleService
{
    private readonly Lock _gate = new();
    private Task? _stopping;

    /// <summary>Drains once; a second stop waits for the first.</summary>
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        lock (_gate) return _stopping ??= DrainAsync(cancellationToken);
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        state.StartDraining();
        LogDraining(logger, options.Value.DrainDelay);
        // Two thirds of the timeout at most (wall-clock, as the timeout is), so the services' own stops (Hangfire's
        // among them) always have the last third to cut short and hand back what is left.
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(options.Value.Timeout * 2 / 3);
        try
        {
            await Task.Delay(options.Value.DrainDelay, clock, budget.Token);
            state.StartRefusing();
            await state.RequestsDoneAsync(budget.Token);
            foreach (var stage in parts.GroupBy(p => p.Stage).OrderBy(g => g.Key))
                await Task.WhenAll(stage.Select(p => p.DrainAsync(budget.Token)));
            LogDrained(logger, watch.Elapsed.TotalMilliseconds);
        }
        catch (OperationCanceledException)
        {
            // Out of time: what is still running is cut short by the services' stops, and handed back by its claims.
            LogOutOfTime(logger, options.Value.Timeout * 2 / 3);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: not ready from now, refusing new requests in {Delay}")]
    private static partial void LogDraining(ILogger logger, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: drained in {Milliseconds:F0} ms")]
    private static partial void LogDrained(ILogger logger, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping: the drain's share of the shutdown timeout ({Budget}) ran out; the rest is cut short and handed back")]
    private static partial void LogOutOfTime(ILogger logger, TimeSpan budget);
}

/// <summary>
/// Not ready while the host stops, so no load balancer sends it new work. Degraded rather than unhealthy: nothing is
/// wrong, and the readiness endpoint answers 503 for it all the same.
/// </summary>
public sealed class NotStoppingCheck(ShutdownState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.Draining ? HealthCheckResult.Degraded("The host is stopping") : HealthCheckResult.Healthy());
}

public static class GracefulShutdownSetup
{
    public static IServiceCollection AddGracefulShutdown(this IServiceCollection services)
    {
        services.AddOptions<ShutdownOptions>().BindConfiguration(ShutdownOptions.Section)
            .Validate(o => o.Timeout > TimeSpan.Zero, "Shutdown:Timeout must be positive")
            .Validate(o => o.DrainDelay >= TimeSpan.Zero && o.DrainDelay < o.Timeout * 2 / 3,
                "Shutdown:DrainDelay must be zero or more, and shorter than two thirds of Shutdown:Timeout (the drain's share)")
            .ValidateOnStart();
        services.AddConfigurationShapeCheck<ShutdownOptions>(ShutdownOptions.Section);
        services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) => host.ShutdownTimeout = shutdown.Value.Timeout);
        services.AddSingleton<ShutdownState>();
        services.AddHostedService<GracefulShutdown>();
        return services;
    }

    /// <summary>Counts the requests being answered, and refuses new ones (health probes aside) once the host stops.</summary>
    public static WebApplication UseGracefulShutdown(this WebApplication app)
    {
        var state = app.Services.GetRequiredService<ShutdownState>();
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/health"))
            {
                await next(context);
                return;
            }
            state.Enter();
            try
            {
                if (state.Refusing)
                {
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    context.Response.Headers.RetryAfter = "5";
                    context.Response.Headers.Connection = "close";
                    return;
                }
                await next(context);
            }
            finally
            {
                state.Leave();
            }
        });
        return app;
    }
}
