using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bot.Data;

public sealed class PostgresBotDbContext(DbContextOptions<PostgresBotDbContext> options) : BotDbContext(options);
