using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Core.Directory;

/// <summary>Finds the directory person behind a platform user id: a Slack user id, a Teams AAD object id, or a person key.</summary>
public static class PersonResolver
{
    public static Task<Person?> FindAsync(this BotDbContext db, string channel, string userId, CancellationToken ct) =>
        channel switch
        {
            "slack" => db.People.FirstOrDefaultAsync(p => p.SlackUserId == userId, ct),
            "teams" => db.People.FirstOrDefaultAsync(p => p.TeamsAadObjectId == userId, ct),
            _ => db.People.FirstOrDefaultAsync(p => p.Key == userId, ct),
        };
}
