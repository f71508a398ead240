using Bot.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bot.Core.Features.Digests;

/// <summary>
/// The outgoing on-call's end-of-shift check-in: asked once per shift hand-off, answered in 30 seconds. What hurt
/// most is shown to managers with the person's name only when they ticked <see cref="Shared"/>; otherwise only counted.
/// </summary>
public sealed class CheckIn : IVersioned
{
    public long Id { get; set; }
    public int Version { get; set; }
    public string TeamKey { get; set; } = "";
    public string PersonKey { get; set; } = "";
    public DateTimeOffset ShiftStartedAt { get; set; }
    public DateTimeOffset ShiftEndedAt { get; set; }
    public DateTimeOffset AskedAt { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }

    /// <summary>1 (quiet) to 5 (overwhelming).</summary>
    public int? Load { get; set; }
    public bool? SleepInterrupted { get; set; }
    public string? WhatHurt { get; set; }
    public bool Shared { get; set; }
}

public static class CheckInTables
{
    extension(BotDbContext db)
    {
        public DbSet<CheckIn> CheckIns => db.Set<CheckIn>();
    }
}

public sealed class CheckInConfiguration : IEntityTypeConfiguration<CheckIn>
{
    public void Configure(EntityTypeBuilder<CheckIn> e)
    {
        e.ToTable("CheckIns");
        e.Property(x => x.TeamKey).HasMaxLength(64);
        e.Property(x => x.PersonKey).HasMaxLength(200);
        e.Property(x => x.WhatHurt).HasMaxLength(CheckInForms.WhatHurtMax);
        e.Property(x => x.Version).IsConcurrencyToken();
        // One check-in per shift: the row is the claim that the question is asked once.
        e.HasIndex(x => new { x.TeamKey, x.ShiftEndedAt }).IsUnique();
    }
}

/// <summary>A "worth a look" item of a team's week, kept so managers can answer it and the next digest can say what they did.</summary>
public sealed class DigestItem
{
    public long Id { get; set; }
    public string TeamKey { get; set; } = "";

    /// <summary>The week it belongs to, e.g. 202648 (<see cref="DigestWindow.Key"/>).</summary>
    public long WeekKey { get; set; }

    /// <summary>The rule that chose it, e.g. <c>overdue-reviews</c>: one item per rule per week.</summary>
    public string Rule { get; set; } = "";
    public string Text { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public List<DigestResponse> Responses { get; set; } = [];
}

public enum DigestResponseKind { Sponsor, Unblock, Seen }

/// <summary>A manager's answer to a worth-a-look item; each kind once per person.</summary>
public sealed class DigestResponse
{
    public long Id { get; set; }
    public long ItemId { get; set; }
    public string PersonKey { get; set; } = "";
    public string PersonName { get; set; } = "";
    public DigestResponseKind Kind { get; set; }
    public DateTimeOffset At { get; set; }
}

public static class DigestItemTables
{
    extension(BotDbContext db)
    {
        public DbSet<DigestItem> DigestItems => db.Set<DigestItem>();
        public DbSet<DigestResponse> DigestResponses => db.Set<DigestResponse>();
    }
}

public sealed class DigestItemConfiguration : IEntityTypeConfiguration<DigestItem>
{
    public void Configure(EntityTypeBuilder<DigestItem> e)
    {
        e.ToTable("DigestItems");
        e.Property(x => x.TeamKey).HasMaxLength(64);
        e.Property(x => x.Rule).HasMaxLength(32);
        e.Property(x => x.Text).HasMaxLength(500);
        e.HasIndex(x => new { x.TeamKey, x.WeekKey, x.Rule }).IsUnique();
        e.HasMany(x => x.Responses).WithOne().HasForeignKey(r => r.ItemId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class DigestResponseConfiguration : IEntityTypeConfiguration<DigestResponse>
{
    public void Configure(EntityTypeBuilder<DigestResponse> e)
    {
        e.ToTable("DigestResponses");
        e.Property(x => x.PersonKey).HasMaxLength(200);
        e.Property(x => x.PersonName).HasMaxLength(200);
        e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        e.HasIndex(x => new { x.ItemId, x.PersonKey, x.Kind }).IsUnique();
    }
}

/// <summary>What the digest counts of one check-in; <see cref="WhatHurt"/> only when its author shared it.</summary>
public sealed record CheckInFact(string PersonKey, DateTimeOffset ShiftEndedAt, int? Load, bool? SleepInterrupted, bool Wrote, string? WhatHurt);

public static class CheckInFacts
{
    /// <summary>Check-ins of shifts that ended in [<paramref name="from"/>, <paramref name="to"/>); text someone did not share never leaves the database.</summary>
    public static async Task<IReadOnlyList<CheckInFact>> EndedAsync(BotDbContext db, string teamKey, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        await db.CheckIns.AsNoTracking().Where(c => c.TeamKey == teamKey && c.ShiftEndedAt >= from && c.ShiftEndedAt < to)
            .OrderBy(c => c.ShiftEndedAt)
            .Select(c => new CheckInFact(c.PersonKey, c.ShiftEndedAt, c.Load, c.SleepInterrupted, c.WhatHurt != null, c.Shared ? c.WhatHurt : null))
            .ToListAsync(ct);
}
