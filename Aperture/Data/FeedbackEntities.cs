using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aperture.Data;

public enum FeedbackReaction { Up, Down, NotInterested }

public enum FeedbackReason { Seen, Genre, Title }

// What a user told Aperture about one title (user_feedback): a reaction, a reason for "not interested", a 1–10 rating.
// Down and NotInterested keep the title out of the user's picks and channels until the row is deleted (undo).
public sealed class UserFeedback
{
    public required string UserId { get; set; }
    public MediaKind Kind { get; set; }
    public long TitleId { get; set; }
    public Title Title { get; set; } = null!;
    public FeedbackReaction? Reaction { get; set; }
    public FeedbackReason? Reason { get; set; }
    public int? Rating { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    // Set when this 👍 made the title a favourite on the media server, so an undo clears only what Aperture set.
    public bool WroteFavorite { get; set; }

    public bool Removes => Reaction is FeedbackReaction.Down or FeedbackReaction.NotInterested;
}

// Per-user choices (user_preferences): consent to write 👍 back as a server favourite.
public sealed class UserPreferences
{
    public required string UserId { get; set; }
    public bool FavoriteWriteBack { get; set; }
}

// Per-user choices for one kind (user_kind_settings): the user's own tuning as JSON (UserTuning), one row per kind they saved.
// A row per kind rather than a column per kind, so a new kind needs no new column and an unreadable value is one kind's alone.
public sealed class UserKindSettings
{
    public required string UserId { get; set; }
    public MediaKind Kind { get; set; }
    public string? Tuning { get; set; }
}

internal sealed class UserFeedbackConfiguration : IEntityTypeConfiguration<UserFeedback>
{
    public void Configure(EntityTypeBuilder<UserFeedback> builder)
    {
        builder.ToTable("user_feedback");
        builder.HasKey(f => new { f.UserId, f.TitleId });
        builder.HasIndex(f => new { f.UserId, f.Kind, f.UpdatedAt });
        builder.Property(f => f.UserId).HasMaxLength(64);
        builder.Property(f => f.Reaction).HasConversion<string>().HasMaxLength(16);
        builder.Property(f => f.Reason).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(f => f.Title).WithMany().HasForeignKey(f => f.TitleId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UserPreferencesConfiguration : IEntityTypeConfiguration<UserPreferences>
{
    public void Configure(EntityTypeBuilder<UserPreferences> builder)
    {
        builder.ToTable("user_preferences");
        builder.HasKey(p => p.UserId);
        builder.Property(p => p.UserId).HasMaxLength(64);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UserKindSettingsConfiguration : IEntityTypeConfiguration<UserKindSettings>
{
    public void Configure(EntityTypeBuilder<UserKindSettings> builder)
    {
        builder.ToTable("user_kind_settings");
        builder.HasKey(p => new { p.UserId, p.Kind });
        builder.Property(p => p.UserId).HasMaxLength(64);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
