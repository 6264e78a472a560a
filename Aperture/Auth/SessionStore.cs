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

public sealed class SessionStore(AppDbContext db, SessionCache cache, TimeProvider time)
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

    private sealed record SessionRow(string UserId, DateTimeOffset LastSeenAt, string Name, bool IsAdmin, bool IsDisabled, bool PresentOnServer);

    // The session and its user in one statement, compiled once: this runs for every request that misses the cache.
    private static readonly Func<AppDbContext, string, CancellationToken, Task<SessionRow?>> FindSession =
        EF.CompileAsyncQuery((AppDbContext context, string id, CancellationToken _) => context.Set<UserSession>()
            .Where(s => s.Id == id)
            .Join(context.Users, s => s.UserId, u => u.Id, (s, u) => new SessionRow(s.UserId, s.LastSeenAt, u.Name, u.IsAdmin, u.IsDisabled, u.PresentOnServer))
            .FirstOrDefault());

    // The session's user while the session exists, belongs to that user and was used within the idle limit; null otherwise.
    // Allowed is false for a user disabled or gone from the server. Answers come from SessionCache for up to its Lifetime.
    public async Task<SessionUser?> CheckAsync(string sessionId, string userId, CancellationToken ct)
    {
        if (cache.Find(sessionId) is { } cached)
        {
            return cached.UserId == userId ? cached : null;
        }
        var readAt = cache.Generation;
        var row = await FindSession(db, sessionId, ct);
        var now = time.GetUtcNow();
        if (row is null || row.UserId != userId || row.LastSeenAt < now - IdleLimit)
        {
            return null;
        }
        if (now - row.LastSeenAt > TouchEvery)
        {
            await db.Set<UserSession>().Where(s => s.Id == sessionId).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), ct);
        }
        var user = new SessionUser(row.UserId, row.Name, row.IsAdmin, !row.IsDisabled && row.PresentOnServer);
        cache.Store(sessionId, user, readAt);
        return user;
    }

    // Evicted before and after the delete: no request of this instance accepts the session once this returns.
    public async Task<int> RevokeAsync(string sessionId, CancellationToken ct)
    {
        cache.Evict(sessionId);
        var ended = await db.Set<UserSession>().Where(s => s.Id == sessionId).ExecuteDeleteAsync(ct);
        cache.Evict(sessionId);
        return ended;
    }

    public async Task<int> RevokeAllAsync(string userId, CancellationToken ct)
    {
        cache.EvictUser(userId);
        var ended = await db.Set<UserSession>().Where(s => s.UserId == userId).ExecuteDeleteAsync(ct);
        cache.EvictUser(userId);
        return ended;
    }

    public Task<int> CountAsync(string userId, CancellationToken ct) =>
        db.Set<UserSession>().CountAsync(s => s.UserId == userId, ct);

    public static string? SessionId(ClaimsPrincipal user) => user.FindFirstValue(ClaimType);
}
