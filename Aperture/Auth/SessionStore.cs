using System.Security.Claims;
using System.Security.Cryptography;
using Aperture.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aperture.Auth;

// A signed-in browser. The cookie carries only the id; the row is the session, so deleting it signs that browser out on
// every instance at its next request (sign-out, "sign out everywhere", an admin ending a user's sessions).
public sealed class UserSession
{
    public required string Id { get; set; }
    public required string UserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
}

internal sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> builder)
    {
        builder.ToTable("user_sessions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasMaxLength(64);
        builder.Property(s => s.UserId).HasMaxLength(64);
        builder.HasIndex(s => s.UserId);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class SessionStore(AppDbContext db, TimeProvider time)
{
    public const string ClaimType = "aperture:sid";

    // As long as the cookie slides: a session unused this long is over even if its cookie survived.
    public static readonly TimeSpan IdleLimit = TimeSpan.FromDays(7);

    // LastSeenAt is written at most this often, not on every request.
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(10);

    public async Task<string> CreateAsync(string userId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var stale = now - IdleLimit;
        await db.Set<UserSession>().Where(s => s.UserId == userId && s.LastSeenAt < stale).ExecuteDeleteAsync(ct);
        db.Set<UserSession>().Add(new UserSession { Id = id, UserId = userId, CreatedAt = now, LastSeenAt = now });
        await db.SaveChangesAsync(ct);
        return id;
    }

    // True while the session exists, belongs to that user and was used within the idle limit.
    public async Task<bool> IsActiveAsync(string sessionId, string userId, CancellationToken ct)
    {
        var session = await db.Set<UserSession>().AsNoTracking().Where(s => s.Id == sessionId)
            .Select(s => new { s.UserId, s.LastSeenAt }).FirstOrDefaultAsync(ct);
        var now = time.GetUtcNow();
        if (session is null || session.UserId != userId || session.LastSeenAt < now - IdleLimit)
        {
            return false;
        }
        if (now - session.LastSeenAt > TouchEvery)
        {
            await db.Set<UserSession>().Where(s => s.Id == sessionId).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), ct);
        }
        return true;
    }

    public Task<int> RevokeAsync(string sessionId, CancellationToken ct) =>
        db.Set<UserSession>().Where(s => s.Id == sessionId).ExecuteDeleteAsync(ct);

    public Task<int> RevokeAllAsync(string userId, CancellationToken ct) =>
        db.Set<UserSession>().Where(s => s.UserId == userId).ExecuteDeleteAsync(ct);

    public Task<int> CountAsync(string userId, CancellationToken ct) =>
        db.Set<UserSession>().CountAsync(s => s.UserId == userId, ct);

    public static string? SessionId(ClaimsPrincipal user) => user.FindFirstValue(ClaimType);
}
