using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.Extensions.Options;

namespace Bot.Host.Scheduling;

/// <summary>The <c>Hangfire:Dashboard</c> section: credentials for the dashboard outside Development.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Hangfire:Dashboard";

    public string? Username { get; set; }
    public string? Password { get; set; }
}

public static class Dashboard
{
    /// <summary>
    /// <c>/hangfire</c>: in Development open to requests from this machine addressed as localhost; otherwise only with the configured
    /// credentials (HTTP Basic), and not served at all when none are configured. Never anonymous on a public interface.
    /// </summary>
    public static WebApplication MapBotHangfireDashboard(this WebApplication app)
    {
        IDashboardAuthorizationFilter filter;
        var options = app.Services.GetRequiredService<IOptions<DashboardOptions>>().Value;
        if (!string.IsNullOrEmpty(options.Username) && !string.IsNullOrEmpty(options.Password))
            filter = new BasicAuthFilter(options.Username, options.Password);
        else if (app.Environment.IsDevelopment())
            filter = new LocalhostOnlyFilter();
        else
            return app;

        app.MapHangfireDashboard("/hangfire", new Hangfire.DashboardOptions
        {
            Authorization = [filter],
            DisplayStorageConnectionString = false,
            AppPath = "/",
        });
        return app;
    }

    /// <summary>
    /// A caller on this machine that names it by a localhost name: a page elsewhere whose name was rebound to 127.0.0.1
    /// (DNS rebinding) reaches the port, but sends its own name as the Host, and is refused.
    /// </summary>
    private sealed class LocalhostOnlyFilter : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => Bot.Channels.Playground.PlaygroundEndpoints.IsLocal(context.GetHttpContext());
    }

    private sealed class BasicAuthFilter(string username, string password) : IDashboardAuthorizationFilter
    {
        private readonly byte[] _expected = Encoding.UTF8.GetBytes($"{username}:{password}");

        public bool Authorize(DashboardContext context)
        {
            var http = context.GetHttpContext();
            if (AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var header)
                && string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
                && header.Parameter is { } parameter)
            {
                try
                {
                    if (CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(parameter), _expected)) return true;
                }
                catch (FormatException)
                {
                    // Not base64: treated like wrong credentials.
                }
            }
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"Hangfire\"";
            return false;
        }
    }
}
