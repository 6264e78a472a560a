using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aperture.Data;

public enum ChannelKind { Movies = 1, Series = 2, Both = 3 }

// A user-made collection (channels): described in words, by example titles and genre filters, filled from the
// vector index, shared read-only with chosen users and written to the media server as private playlists.
public sealed class Channel
{
    public long Id { get; set; }
    public required string OwnerId { get; set; }
    public required string Name { get; set; }
    public ChannelKind Kind { get; set; } = ChannelKind.Movies;
    public List<string> IncludeGenres { get; set; } = [];
    public List<string> ExcludeGenres { get; set; } = [];
    public string? Preference { get; set; }
    public List<long> ExampleTitleIds { get; set; } = [];
    public int Size { get; set; } = 20;
    public bool ExcludeWatched { get; set; } = true;
    // Blend in the owner's own taste vector (a little), so a channel leans towards what they like.
    public bool UseTaste { get; set; }
    // A list saved as it is (a movie night): never generated or refreshed from words, its entries stay as saved.
    public bool FixedEntries { get; set; }
    public string? Description { get; set; }
    public string? DescriptionSource { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? GeneratedAt { get; set; }
    public DateTimeOffset? SyncedAt { get; set; }
    public List<ChannelShare> Shares { get; set; } = [];
    public List<ChannelEntry> Entries { get; set; } = [];
    public List<ChannelPlaylist> Playlists { get; set; } = [];
}

// Read-only access for another user.
public sealed class ChannelShare
{
    public long ChannelId { get; set; }
    public required string UserId { get; set; }
}

// One title of a generated channel, with its score and why it is there.
public sealed class ChannelEntry
{
    public long Id { get; set; }
    public long ChannelId { get; set; }
    public long TitleId { get; set; }
    public Title Title { get; set; } = null!;
    public int Rank { get; set; }
    public double Score { get; set; }
    public required string Why { get; set; }
}

// A playlist on the media server that shows the channel to one user (Jellyfin 10.9+: one playlist, owned by the
// channel's owner and shared with the others, so only the owner has a row; otherwise one per user).
public sealed class ChannelPlaylist
{
    public long ChannelId { get; set; }
    public required string UserId { get; set; }
    public required string PlaylistId { get; set; }
    public DateTimeOffset SyncedAt { get; set; }

    // Set (and committed) before a replacement playlist is made, cleared with the new id: while set, the next sync looks for
    // the playlist a killed replacement left behind (ChannelPlaylistSync).
    public DateTimeOffset? ReplacingSince { get; set; }
}

internal sealed class ChannelConfiguration : IEntityTypeConfiguration<Channel>
{
    public void Configure(EntityTypeBuilder<Channel> builder)
    {
        builder.ToTable("channels");
        builder.HasKey(c => c.Id);
        builder.HasIndex(c => c.OwnerId);
        builder.Property(c => c.OwnerId).HasMaxLength(64);
        builder.Property(c => c.Name).HasMaxLength(120);
        builder.Property(c => c.Preference).HasMaxLength(1000);
        builder.Property(c => c.DescriptionSource).HasMaxLength(200);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(c => c.OwnerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Shares).WithOne().HasForeignKey(s => s.ChannelId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Entries).WithOne().HasForeignKey(e => e.ChannelId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Playlists).WithOne().HasForeignKey(p => p.ChannelId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ChannelShareConfiguration : IEntityTypeConfiguration<ChannelShare>
{
    public void Configure(EntityTypeBuilder<ChannelShare> builder)
    {
        builder.ToTable("channel_shares");
        builder.HasKey(s => new { s.ChannelId, s.UserId });
        builder.HasIndex(s => s.UserId);
        builder.Property(s => s.UserId).HasMaxLength(64);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ChannelEntryConfiguration : IEntityTypeConfiguration<ChannelEntry>
{
    public void Configure(EntityTypeBuilder<ChannelEntry> builder)
    {
        builder.ToTable("channel_entries");
        builder.HasKey(e => e.Id);
        builder.HasIndex(e => new { e.ChannelId, e.Rank });
        builder.HasIndex(e => e.TitleId);
        builder.Property(e => e.Why).HasMaxLength(1000);
        builder.HasOne(e => e.Title).WithMany().HasForeignKey(e => e.TitleId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ChannelPlaylistConfiguration : IEntityTypeConfiguration<ChannelPlaylist>
{
    public void Configure(EntityTypeBuilder<ChannelPlaylist> builder)
    {
        builder.ToTable("channel_playlists");
        builder.HasKey(p => new { p.ChannelId, p.UserId });
        builder.Property(p => p.UserId).HasMaxLength(64);
        builder.Property(p => p.PlaylistId).HasMaxLength(64);
    }
}
