namespace Aperture.MediaServers;

// Library ids as the servers write them in policies and folder lists: one Guid in any of its forms ("N" or "D", any case) is
// one id; anything else is compared trimmed, case ignored.
public static class LibraryIds
{
    public static string Key(string id) => Guid.TryParse(id, out var g) ? g.ToString("N") : id.Trim().ToLowerInvariant();

    public static bool Same(string a, string b) => Key(a) == Key(b);
}
