using Aperture.Data;
using Aperture.MediaServers;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Catalog;

public sealed record LibraryView(
    string Id,
    string? Guid,
    string Name,
    MediaKind Kind,
    IReadOnlyList<string> Locations,
    bool Enabled,
    bool PresentOnServer,
    DateTimeOffset LastSeenAt,
    int TitleCount);

public sealed record LibraryRefreshResult(int Added, int Updated, int Gone);

// Gone: switched on, held titles, no longer on the server. SwitchedOff: on the server, of the kind, not enabled.
public sealed record VanishedSources(IReadOnlyList<Library> Gone, IReadOnlyList<Library> SwitchedOff);

// The server's movie and TV libraries and the admin's choice of which ones Aperture syncs.
//
// A library seen for the first time is enabled when Aperture knew no library before (a fresh install syncs everything
// out of the box, as a self-hoster expects) and disabled when it appears later: a library added afterwards (the kids'
// one, someone's private one) waits for the admin to switch it on. Libraries gone from the server, or no longer movies
// or TV, are kept with their switch and marked gone; the next catalogue sync removes their titles.
//
// Aperture's own libraries (the picks and Top Picks it writes) are never catalogue sources, whatever the admin enables: a
// library is Aperture's when one of its locations is under the output root as the server sees it, or when its name starts
// with the picks prefix. They are listed (disabled) so the admin sees why.
public sealed class LibraryService(AppDbContext db, MediaServerSettings settings, TimeProvider time, Outputs.OutputSettings outputs, DataMemo memo)
{
    // The output paths in force (Admin › Outputs, the environment winning), not the environment alone: a root set in the
    // UI must keep its libraries out of the catalogue too.
    private static bool IsApertureOutput(Outputs.OutputOptions o, string name, IEnumerable<string> locations)
    {
        if (o.LibraryNamePrefix.Length > 0 && name.StartsWith(o.LibraryNamePrefix, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        var root = o.ServerRoot.Replace('\\', '/').TrimEnd('/') + "/";
        return locations.Any(l => (l.Replace('\\', '/').TrimEnd('/') + "/").StartsWith(root, StringComparison.Ordinal));
    }

    public async Task<IReadOnlyList<LibraryView>> ListAsync(CancellationToken ct)
    {
        var counts = await db.Titles.GroupBy(t => t.LibraryId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var libraries = await db.Libraries.AsNoTracking().ToListAsync(ct);
        return [.. libraries
            .OrderByDescending(l => l.PresentOnServer).ThenBy(l => l.Kind).ThenBy(l => l.Name, StringComparer.OrdinalIgnoreCase)
            .Select(l => new LibraryView(l.Id, l.Guid, l.Name, l.Kind, l.Locations, l.Enabled, l.PresentOnServer, l.LastSeenAt, counts.GetValueOrDefault(l.Id)))];
    }

    public async Task<LibraryRefreshResult> RefreshAsync(CancellationToken ct) =>
        await RefreshAsync(await settings.GetClientAsync(ct), ct);

    public async Task<LibraryRefreshResult> RefreshAsync(MediaServerClient client, CancellationToken ct)
    {
        kinds = null;
        var folders = await client.GetVirtualFoldersAsync(ct);
        try
        {
            return await ApplyAsync(client, folders, ct);
        }
        catch (DbUpdateException)
        {
            // Another sync job recorded the same new library a moment ago: read again and apply once more.
            db.ChangeTracker.Clear();
            return await ApplyAsync(client, folders, ct);
        }
    }

    private async Task<LibraryRefreshResult> ApplyAsync(MediaServerClient client, IReadOnlyList<VirtualFolderDto> folders, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var output = await outputs.GetAsync(ct);
        var known = await db.Libraries.ToDictionaryAsync(l => l.Id, ct);
        var firstSync = known.Count == 0;
        var seen = new HashSet<string>();
        int added = 0, updated = 0, gone = 0;

        foreach (var folder in folders)
        {
            if (MediaKinds.FromCollectionType(folder.CollectionType) is not { } kind || string.IsNullOrEmpty(folder.LibraryId)
                || !seen.Add(folder.LibraryId))
            {
                continue;
            }
            var name = string.IsNullOrWhiteSpace(folder.Name) ? folder.LibraryId : folder.Name.Trim();
            var locations = folder.Locations?.ToList() ?? [];
            // Jellyfin's policies take the ItemId; Emby's take the separate Guid.
            var guid = folder.Guid ?? (client.Connection.Type == MediaServerType.Jellyfin ? folder.LibraryId : null);
            if (!known.TryGetValue(folder.LibraryId, out var library))
            {
                library = new Library { Id = folder.LibraryId, Name = name, Kind = kind, Enabled = firstSync && !IsApertureOutput(output, name, locations) };
                db.Libraries.Add(library);
                added++;
            }
            else if (library.Name != name || library.Kind != kind || !library.PresentOnServer || !library.Locations.SequenceEqual(locations))
            {
                updated++;
            }
            library.Name = name.Length > 256 ? name[..256] : name;
            library.Guid = guid;
            library.Kind = kind;
            library.Locations = locations;
            library.PresentOnServer = true;
            library.LastSeenAt = now;
        }
        foreach (var library in known.Values.Where(l => l.PresentOnServer && !seen.Contains(l.Id)))
        {
            library.PresentOnServer = false;
            gone++;
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return new LibraryRefreshResult(added, updated, gone);
    }

    // Null when there is no such library. Titles of a disabled library leave at the next catalogue sync.
    public async Task<LibraryView?> SetEnabledAsync(string id, bool enabled, CancellationToken ct)
    {
        var library = await db.Libraries.FirstOrDefaultAsync(l => l.Id == id, ct);
        if (library is null)
        {
            return null;
        }
        library.Enabled = enabled;
        await db.SaveChangesAsync(ct);
        return (await ListAsync(ct)).First(l => l.Id == id);
    }

    // The kinds of media the server has (a movie or TV library of its own, not one Aperture wrote), for the pages to offer
    // only those: a server without a TV library shows no Series tab, toggle or "no series synced" message. Before any
    // library has been read nothing is known yet, so every kind is offered.
    // Every page asks: kept per data state (the libraries and the output settings it is read from), see DataMemo.
    public async Task<IReadOnlyList<MediaKind>> KindsAsync(CancellationToken ct) =>
        kinds ??= await memo.SharedAsync(db, "kinds", ReadKindsAsync, ct);

    // Kept for the scope (one request): a page asks once per table row (Admin › Users).
    private IReadOnlyList<MediaKind>? kinds;

    private async Task<IReadOnlyList<MediaKind>> ReadKindsAsync(CancellationToken ct)
    {
        var present = await db.Libraries.AsNoTracking().Where(l => l.PresentOnServer).Select(l => new { l.Kind, l.Name, l.Locations }).ToListAsync(ct);
        if (present.Count == 0)
        {
            return AllKinds;
        }
        var output = await outputs.GetAsync(ct);
        var own = present.Where(l => !IsApertureOutput(output, l.Name, l.Locations)).Select(l => l.Kind).Distinct().Order().ToList();
        return own.Count == 0 ? AllKinds : own;
    }

    public static readonly IReadOnlyList<MediaKind> AllKinds = Enum.GetValues<MediaKind>();

    // For the catalogue sync's guard against emptying a kind: of the libraries holding its titles, those switched on but
    // gone from the server; and the server's libraries of the kind that are there but switched off (Aperture's own left
    // out: they are never sources, so never the answer).
    public async Task<VanishedSources> VanishedSourcesAsync(MediaKind kind, IReadOnlyCollection<string> holdingIds, CancellationToken ct)
    {
        var output = await outputs.GetAsync(ct);
        var gone = await db.Libraries.AsNoTracking().Where(l => holdingIds.Contains(l.Id) && l.Enabled && !l.PresentOnServer)
            .OrderBy(l => l.Name).ToListAsync(ct);
        var off = (await db.Libraries.AsNoTracking().Where(l => l.Kind == kind && l.PresentOnServer && !l.Enabled).OrderBy(l => l.Name).ToListAsync(ct))
            .Where(l => !IsApertureOutput(output, l.Name, l.Locations)).ToList();
        return new VanishedSources(gone, off);
    }

    // What the catalogue sync reads: the libraries of a kind that are switched on and still on the server.
    public async Task<IReadOnlyList<Library>> ActiveAsync(MediaKind kind, CancellationToken ct)
    {
        var output = await outputs.GetAsync(ct);
        return [.. (await db.Libraries.AsNoTracking().Where(l => l.Kind == kind && l.Enabled && l.PresentOnServer).OrderBy(l => l.Name).ToListAsync(ct))
            .Where(l => !IsApertureOutput(output, l.Name, l.Locations))];
    }
}
