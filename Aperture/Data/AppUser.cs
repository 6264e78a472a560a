using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aperture.Data;

// A media-server user as Aperture knows it. Id is the server's user id (32 hex).
public sealed class AppUser
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public bool IsAdmin { get; set; }
    public bool IsDisabled { get; set; }
    // False once the user sync no longer finds the user on the server (their data is kept until purged).
    public bool PresentOnServer { get; set; } = true;
    public DateTimeOffset? ServerSyncedAt { get; set; }
    // Admin › Users: the kinds Aperture makes picks for, for this user (opt-in, as in the original). One bit per kind, so a
    // new kind is a new bit, not a new column.
    public MediaKindSet PicksKinds { get; set; }
    // The user's own consent: others may include them in a movie night (group picks). Off until they say so.
    public bool AllowGroupPicks { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? FirstLoginAt { get; set; }
    public DateTimeOffset? LastLoginAt { get; set; }
}

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> builder)
    {
        builder.ToTable("users");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).HasMaxLength(64);
        builder.Property(u => u.Name).HasMaxLength(256);
        builder.HasIndex(u => u.Name);
    }
}

public static class AppUserPicks
{
    public static bool PicksEnabled(this AppUser user, MediaKind kind) => user.PicksKinds.Contains(kind);

    public static void SetPicksEnabled(this AppUser user, MediaKind kind, bool enabled) => user.PicksKinds = user.PicksKinds.With(kind, enabled);

    // For queries: the users with picks of this kind switched on (a bitwise test both providers translate).
    public static Expression<Func<AppUser, bool>> HasPicks(MediaKind kind)
    {
        var bit = kind.Bit();
        return u => (u.PicksKinds & bit) == bit;
    }
}
