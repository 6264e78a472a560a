using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aperture.Data;

// What one user did with one movie, series or episode (the server's UserData). Episode rows carry
// their series in TitleId so a series' share of watched episodes is one grouped query.
public sealed class WatchState
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public long TitleId { get; set; }
    public Title Title { get; set; } = null!;
    public long? EpisodeId { get; set; }
    public Episode? Episode { get; set; }
    public required string ServerItemId { get; set; }
    public bool Played { get; set; }
    public int PlayCount { get; set; }
    public DateTimeOffset? LastPlayedAt { get; set; }
    public bool IsFavorite { get; set; }
    public double? Rating { get; set; }
    public double? PlayedPercentage { get; set; }
    public DateTimeOffset SyncedAt { get; set; }
}

// Per user and kind: how far the delta history sync has read, and when a full reconcile last ran.
public sealed class HistorySyncState
{
    public required string UserId { get; set; }
    public MediaKind Kind { get; set; }
    public DateTimeOffset? Watermark { get; set; }
    public DateTimeOffset? LastFullSyncAt { get; set; }
    public DateTimeOffset? LastDeltaSyncAt { get; set; }
}

internal sealed class WatchStateConfiguration : IEntityTypeConfiguration<WatchState>
{
    public void Configure(EntityTypeBuilder<WatchState> builder)
    {
        builder.ToTable("watch_states");
        builder.HasKey(w => w.Id);
        builder.HasIndex(w => new { w.UserId, w.ServerItemId }).IsUnique();
        builder.HasIndex(w => new { w.UserId, w.TitleId });
        builder.HasIndex(w => w.TitleId);
        builder.Property(w => w.UserId).HasMaxLength(64);
        builder.Property(w => w.ServerItemId).HasMaxLength(64);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(w => w.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(w => w.Title).WithMany().HasForeignKey(w => w.TitleId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(w => w.Episode).WithMany().HasForeignKey(w => w.EpisodeId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class HistorySyncStateConfiguration : IEntityTypeConfiguration<HistorySyncState>
{
    public void Configure(EntityTypeBuilder<HistorySyncState> builder)
    {
        builder.ToTable("history_sync_states");
        builder.HasKey(s => new { s.UserId, s.Kind });
        builder.Property(s => s.UserId).HasMaxLength(64);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
