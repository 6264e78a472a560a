using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;

namespace Aperture.Auth;

// Wrong passwords cost time, per user name and per address: a few are free, then each failure doubles the wait (1 s, 2 s,
// 4 s … at most 15 minutes) before the next attempt is even sent to the media server. A right password clears its name.
// Per instance and in memory: a restart forgets, which only gives an attacker back a few free attempts.
public sealed class LoginThrottle(TimeProvider time)
{
    public const int FreeFailuresPerName = 3;
    public const int FreeFailuresPerAddress = 10;
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromHours(1);
    private const int MaxEntries = 50_000;

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    private sealed record Entry(int Failures, DateTimeOffset BlockedUntil, DateTimeOffset LastFailure);

    // How long this name or address must still wait; null: go ahead.
    public TimeSpan? RetryAfter(string userName, IPAddress? address)
    {
        var now = time.GetUtcNow();
        var wait = Keys(userName, address)
            .Select(k => entries.TryGetValue(k.Key, out var e) ? e.BlockedUntil - now : TimeSpan.Zero)
            .Max();
        return wait > TimeSpan.Zero ? wait : null;
    }

    public void Failed(string userName, IPAddress? address)
    {
        var now = time.GetUtcNow();
        if (entries.Count > MaxEntries)
        {
            foreach (var (key, stale) in entries.Where(e => e.Value.LastFailure < now - ForgetAfter || e.Value.BlockedUntil < now - MaxDelay))
            {
                entries.TryRemove(key, out _);
            }
        }
        foreach (var (key, free) in Keys(userName, address))
        {
            entries.AddOrUpdate(key,
                _ => Next(0, free, now),
                (_, e) => Next(e.LastFailure < now - ForgetAfter ? 0 : e.Failures, free, now));
        }
    }

    public void Succeeded(string userName) => entries.TryRemove(NameKey(userName), out _);

    private static Entry Next(int failures, int free, DateTimeOffset now)
    {
        var over = failures + 1 - free;
        var delay = over <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(Math.Pow(2, over - 1), MaxDelay.TotalSeconds));
        return new Entry(failures + 1, now + delay, now);
    }

    private static IEnumerable<(string Key, int Free)> Keys(string userName, IPAddress? address)
    {
        yield return (NameKey(userName), FreeFailuresPerName);
        if (address is not null)
        {
            yield return ("a:" + (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address), FreeFailuresPerAddress);
        }
    }

    private static string NameKey(string userName)
    {
        var name = userName.Trim().ToLowerInvariant();
        return "n:" + (name.Length > 256 ? name[..256] : name);
    }

    // A user name as it may appear in a log line: at most 64 characters, control and format characters (newlines, bidi
    // overrides) escaped, so that a name cannot forge log lines or hide what it is.
    public static string ForLog(string? userName)
    {
        if (userName is null)
        {
            return "(none)";
        }
        const int max = 64;
        var b = new StringBuilder();
        foreach (var c in userName.Length > max ? userName[..max] : userName)
        {
            if (char.IsControl(c) || char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                || char.IsSurrogate(c))
            {
                b.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                b.Append(c);
            }
        }
        if (userName.Length > max)
        {
            b.Append(CultureInfo.InvariantCulture, $"… ({userName.Length} characters)");
        }
        return b.ToString();
    }
}
