using System.Xml.Linq;
using Bot.Core.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace Bot.Host.Startup;

/// <summary>
/// The data protection key ring (antiforgery tokens of the Hangfire dashboard) in the bot's database, shared by every
/// replica, instead of a folder in the user's profile that a container has not got (or cannot write).
/// </summary>
public sealed class KeyRingInDatabase(IServiceScopeFactory scopes) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        return db.ProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList().Select(x => XElement.Parse(x)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        db.ProtectionKeys.Add(new ProtectionKey { Name = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }

    public static void AddTo(IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("ops-culture-bot");
        services.AddOptions<KeyManagementOptions>().Configure<IServiceScopeFactory>((o, scopes) => o.XmlRepository = new KeyRingInDatabase(scopes));
        // The key ring is read when first needed (a dashboard form), not at start: a start that reads it loads the
        // XML and cryptography stacks for a page most hosts never serve.
        var eager = services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "DataProtectionHostedService").ToList();
        foreach (var descriptor in eager) services.Remove(descriptor);
    }
}
