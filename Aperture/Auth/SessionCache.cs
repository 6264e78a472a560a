using System.Collections.Concurrent;

namespace Aperture.Auth;

// What a session check found: whose session it is and what that user may do.
public sealed record SessionUser(string UserId, string Name, bool IsAdmin, bool Allowed);

// The answer of the session check, kept for a few seconds so that a page with its posters does not read the session and
// its user from the database once per request. Singleton, per instance.
//
// Revocation stays immediate on this instance: sign-out, "sign out everywhere", an admin ending a user's sessions and a
// user sync that disables, removes, renames or demotes someone evict here before they return. On another instance sharing
// the database the same change takes effect within Lifetime (its cache holds the old answer at most that long).
public sealed class SessionCache(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(15);

    // Expired entries are swept when the dictionary grows past this, so signed-out browsers do not accumulate.
    private const int SweepAbove = 4096;

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    // Bumped by every eviction: an answer read from the database before an eviction is not stored after it, so a check
    // racing a sign-out cannot put the ended session back.
    private long generation;

    private sealed record Entry(SessionUser User, long ExpiresTicks);

    public long Generation => Interlocked.Read(ref generation);

    public SessionUser? Find(string sessionId)
    {
        if (entries.TryGetValue(sessionId, out var entry))
        {
            if (time.GetUtcNow().UtcTicks < entry.ExpiresTicks)
            {
                return entry.User;
            }
            entries.TryRemove(new KeyValuePair<string, Entry>(sessionId, entry));
        }
        return null;
    }

    // readAt: Generation taken before the database was read.
    public void Store(string sessionId, SessionUser user, long readAt)
    {
        if (entries.Count > SweepAbove)
        {
            Sweep();
        }
        entries[sessionId] = new Entry(user, (time.GetUtcNow() + Lifetime).UtcTicks);
        if (Generation != readAt)
        {
            // An eviction ran while this answer was read: it may be stale, drop it.
            entries.TryRemove(sessionId, out _);
        }
    }

    public void Evict(string sessionId)
    {
        Interlocked.Increment(ref generation);
        entries.TryRemove(sessionId, out _);
    }

    public void EvictUser(string userId)
    {
        Interlocked.Increment(ref generation);
        foreach (var (id, entry) in entries)
        {
            if (entry.User.UserId == userId)
            {
                entries.TryRemove(id, out _);
            }
        }
    }

    public void Clear()
    {
        Interlocked.Increment(ref generation);
        entries.Clear();
    }

    private void Sweep()
    {
        var now = time.GetUtcNow().UtcTicks;
        foreach (var (id, entry) in entries)
        {
            if (entry.ExpiresTicks <= now)
            {
                entries.TryRemove(new KeyValuePair<string, Entry>(id, entry));
            }
        }
    }
}
