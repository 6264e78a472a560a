using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aperture.Data;

// A movie or TV library of the media server. Id is what /Items?ParentId= takes (Jellyfin ItemId,
// Emby ItemId); Emby policies need the Guid instead.
public sealed class Library
{
    public required string Id { get; set; }
    public string? Guid { get; set; }
    public required string Name { get; set; }
    public MediaKind Kind { get; set; }
    public List<string> Locations { get; set; } = [];
    public bool Enabled { get; set; }
    public bool PresentOnServer { get; set; } = true;
    public DateTimeOffset LastSeenAt { get; set; }
}

public sealed class TitlePerson
{
    public required string Name { get; set; }
    public string? Role { get; set; }
    public required string Type { get; set; }
}

// A movie or a series, as synced from the media server.
public sealed class Title
{
    public long Id { get; set; }
    public MediaKind Kind { get; set; }
    public required string ServerItemId { get; set; }
    public required string LibraryId { get; set; }
    public required string Name { get; set; }
    public string? OriginalTitle { get; set; }
    public string? SortName { get; set; }
    public int? Year { get; set; }
    public DateOnly? PremiereDate { get; set; }
    public DateOnly? EndDate { get; set; }
    public string? Overview { get; set; }
    public List<string> Taglines { get; set; } = [];
    public List<string> Genres { get; set; } = [];
    public List<string> Tags { get; set; } = [];
    public List<string> Studios { get; set; } = [];
    public List<TitlePerson> People { get; set; } = [];
    public double? CommunityRating { get; set; }
    public double? CriticRating { get; set; }
    public string? OfficialRating { get; set; }
    public int? RuntimeMinutes { get; set; }
    public string? ImdbId { get; set; }
    public string? TmdbId { get; set; }
    public string? TvdbId { get; set; }
    public string? PrimaryImageTag { get; set; }
    public string? BackdropImageTag { get; set; }
    public string? Status { get; set; }
    public string? Path { get; set; }
    public int? EpisodeCount { get; set; }
    public DateTimeOffset? DateCreated { get; set; }
    public DateTimeOffset? ServerSavedAt { get; set; }
    public DateTimeOffset SyncedAt { get; set; }

    public List<Episode> Episodes { get; set; } = [];
}

public sealed class Episode
{
    public long Id { get; set; }
    public long SeriesId { get; set; }
    public Title Series { get; set; } = null!;
    public required string ServerItemId { get; set; }
    public int? SeasonNumber { get; set; }
    public int? EpisodeNumber { get; set; }
    public required string Name { get; set; }
    public string? Overview { get; set; }
    public int? RuntimeMinutes { get; set; }
    public DateOnly? PremiereDate { get; set; }
    public string? PrimaryImageTag { get; set; }
    public DateTimeOffset? ServerSavedAt { get; set; }
    public DateTimeOffset SyncedAt { get; set; }
}

internal sealed class LibraryConfiguration : IEntityTypeConfiguration<Library>
{
    public void Configure(EntityTypeBuilder<Library> builder)
    {
        builder.ToTable("libraries");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.Id).HasMaxLength(64);
        builder.Property(l => l.Guid).HasMaxLength(64);
        builder.Property(l => l.Name).HasMaxLength(256);
    }
}

internal sealed class TitleConfiguration : IEntityTypeConfiguration<Title>
{
    public void Configure(EntityTypeBuilder<Title> builder)
    {
        builder.ToTable("titles");
        builder.HasKey(t => t.Id);
        // Distinct files are distinct titles: identity is the server's item id, never name + year.
        builder.HasIndex(t => new { t.Kind, t.ServerItemId }).IsUnique();
        builder.HasIndex(t => new { t.Kind, t.LibraryId });
        builder.HasIndex(t => new { t.Kind, t.SortName });
        builder.HasIndex(t => new { t.Kind, t.Year });
        builder.HasIndex(t => t.TmdbId);
        builder.HasIndex(t => t.ImdbId);
        builder.Property(t => t.ServerItemId).HasMaxLength(64);
        builder.Property(t => t.LibraryId).HasMaxLength(64);
        builder.Property(t => t.Name).HasMaxLength(512);
        builder.Property(t => t.SortName).HasMaxLength(512);
        builder.Property(t => t.OriginalTitle).HasMaxLength(512);
        builder.OwnsMany(t => t.People, p => p.ToJson());
        builder.HasMany(t => t.Episodes).WithOne(e => e.Series).HasForeignKey(e => e.SeriesId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EpisodeConfiguration : IEntityTypeConfiguration<Episode>
{
    public void Configure(EntityTypeBuilder<Episode> builder)
    {
        builder.ToTable("episodes");
        builder.HasKey(e => e.Id);
        builder.HasIndex(e => e.ServerItemId).IsUnique();
        builder.HasIndex(e => new { e.SeriesId, e.SeasonNumber, e.EpisodeNumber });
        builder.Property(e => e.ServerItemId).HasMaxLength(64);
        builder.Property(e => e.Name).HasMaxLength(512);
    }
}
