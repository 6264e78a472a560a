using System.Globalization;
using Aperture.Browse;
using Aperture.Data;
using Aperture.MediaServers;
using Aperture.Outputs;
using Aperture.Settings;
using Microsoft.EntityFrameworkCore;
using Aperture.Progress;
using Aperture.Wording;

namespace Aperture.TopPicks;

public sealed record TopPicksPublishResult(bool Skipped, bool LibraryWritten, string? LibraryName, string? CollectionId, string? PlaylistId);

// Writes the stored Top Picks of a kind into the media server: a shared library folder under the output root (and the
// server library over it, visible to every user), a collection and a playlist, each per setting. Every output is replaced
// as a whole by the current list; one switched off is removed.
public sealed class TopPicksPublisher(
    AppDbContext db,
    MediaServerSettings mediaServer,
    MediaServerClientFactory clients,
    OutputSettings outputSettings,
    SettingsStore store,
    JsonSettings json,
    TimeProvider time,
    ILogger<TopPicksPublisher> logger)
{
    // The folder under the output root: "Top Picks/movies", "Top Picks/series".
    public const string FolderName = "Top Picks";

    public static OutputLibrary Library(MediaKind kind) => OutputLibrary.Shared(FolderName, kind);

    public static SettingKey ServerItemsKey(MediaKind kind) => new($"topPicks.serverItems.{kind.Slug()}");

    // Collection and playlist ids on the server, so a run updates them rather than making new ones. PlaylistReplacingSince is
    // stored before a replacement playlist is made and cleared with its id (see SyncPlaylistAsync).
    private sealed record ServerItems(string? CollectionId, string? PlaylistId, string? PlaylistOwner, DateTimeOffset? PlaylistReplacingSince = null);

    public async Task<TopPicksPublishResult> PublishAsync(MediaKind kind, KindTopPicksSettings settings, IJobProgress progress, CancellationToken ct)
    {
        var connection = await mediaServer.GetConnectionAsync(ct);
        if (connection is null)
        {
            progress.Log($"{kind.Title()} Top Picks computed but not written: no media server is configured (Admin › Settings).", JobLogLevel.Warning);
            return new TopPicksPublishResult(true, false, null, null, null);
        }
        var client = clients.Create(connection);
        var outputs = settings.Enabled ? settings.Outputs : new TopPicksOutputs(false, false, false);
        var name = settings.NameFor(kind);
        var picks = await db.TopPicks.AsNoTracking().Where(p => p.Kind == kind).OrderBy(p => p.Rank)
            .Select(p => new { p.Rank, p.Viewers, p.Plays, p.Completion, p.WindowDays, p.Title })
            .ToListAsync(ct);
        var itemIds = picks.Select(p => p.Title.ServerItemId).ToList();

        var libraryWritten = false;
        // Each output is tried whatever became of the others; the run fails at the end naming every one that did not make it.
        var failures = new List<MediaServerException>();
        var writer = await outputSettings.WriterAsync(ct);
        // A Top Picks library exists only when the server has this kind of media and the list has titles: everyone sees it,
        // so an empty "Top Picks - Series" on a server without series would be noise in every user's home screen.
        var serverHasKind = await db.Libraries.AsNoTracking().AnyAsync(l => l.Kind == kind && l.PresentOnServer, ct);
        if (outputs.Library && serverHasKind && picks.Count > 0)
        {
            var mode = writer.Options.ModeFor(kind);
            var episodes = mode == OutputMode.Strm && kind == MediaKind.Series
                ? (await db.Episodes.AsNoTracking().Where(e => picks.Select(p => p.Title.Id).Contains(e.SeriesId))
                    .Select(e => new { e.SeriesId, e.ServerItemId, e.SeasonNumber, e.EpisodeNumber, e.Name }).ToListAsync(ct))
                    .ToLookup(e => e.SeriesId, e => new EpisodeEntry(e.ServerItemId, e.SeasonNumber, e.EpisodeNumber, e.Name))
                : null;
            var entries = picks.Select(p => new OutputEntry(p.Rank, kind, p.Title.ServerItemId, p.Title.Name, p.Title.Year, p.Title.Overview,
                p.Title.ImdbId, p.Title.TmdbId, p.Title.TvdbId, p.Title.Path, episodes?[p.Title.Id].ToList() ?? [],
                Why(kind, p.Rank, p.Viewers, p.Plays, p.Completion, p.WindowDays))).ToList();
            OutputWriteResult? written = null;
            try
            {
                var urls = mode == OutputMode.Strm ? StreamUrlBuilder.For(connection.Type, connection.BaseUrl.AbsoluteUri, connection.ApiKey) : null;
                written = await writer.WriteAsync(Library(kind), entries, mode, urls, ct);
            }
            catch (NothingWrittenException e)
            {
                var missing = e.Skipped.FirstOrDefault(s => s.MissingPath is not null);
                progress.Log($"{kind.Title()} Top Picks library not written: {e.Message}" +
                    (missing is null ? "" : " Set the media path mapping in Admin › Outputs."), JobLogLevel.Warning);
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException or OutputPathException)
            {
                progress.Log($"{kind.Title()} Top Picks library not written: the output root {writer.Options.StrmRoot} is not writable ({e.Message}). " +
                    "Set the output root in Admin › Outputs (MEDIA_SERVER_STRM_ROOT) to a folder Aperture may write and the media server can read.", JobLogLevel.Warning);
            }
            if (written is not null)
            {
                foreach (var skipped in written.Skipped)
                {
                    progress.Log($"Top Picks #{skipped.Rank} {skipped.Title} left out of the library: {skipped.Reason}", JobLogLevel.Warning);
                }
                try
                {
                    await RemoveRenamedAsync(client, kind, name, written.ServerPath, progress, ct);
                    var libraries = new ServerLibraries(client);
                    var library = await libraries.EnsureLibraryAsync(name, kind, written.ServerPath, ct);
                    await libraries.RefreshLibraryAsync(library.ItemId, ct);
                    var granted = await SharedLibraryAccess.GrantAsync(client, library, ct);
                    progress.Log($"{kind.Title()} Top Picks library '{name}': {written.ItemCount} {(written.ItemCount == 1 ? "title" : "titles")} ({mode}){(written.Changed ? "" : ", unchanged")}, refreshed" +
                        (granted.Count > 0 ? $"; now visible to {string.Join(", ", granted)}" : ""));
                    libraryWritten = true;
                }
                catch (MediaServerException e)
                {
                    failures.Add(Named(e, $"the Top Picks library '{name}'"));
                }
            }
        }
        else
        {
            if (outputs.Library)
            {
                progress.Log(serverHasKind
                    ? $"No {kind.Slug()} Top Picks library: the list is empty (no title has enough viewers in the window)."
                    : $"No {kind.Slug()} Top Picks library: the media server has no {kind.Slug()} library.");
            }
            await RemoveLibraryAsync(writer, client, kind, name, progress, ct);
        }

        // The ids are stored after each output: a collection made before the playlist failed is updated next time, not made again.
        var stored = await LoadServerItemsAsync(kind, ct);
        var admin = await FirstAdminAsync(ct);
        try
        {
            stored = stored with { CollectionId = await SyncCollectionAsync(client, outputs.Collection, name, stored.CollectionId, admin, itemIds, progress, ct) };
            await SaveServerItemsAsync(kind, stored, ct);
        }
        catch (MediaServerException e)
        {
            failures.Add(Named(e, $"the Top Picks collection '{name}'"));
        }
        try
        {
            var (playlistId, owner) = await SyncPlaylistAsync(client, kind, outputs.Playlist, name, stored, itemIds, progress, ct);
            stored = stored with { PlaylistId = playlistId, PlaylistOwner = owner };
            await SaveServerItemsAsync(kind, stored, ct);
        }
        catch (MediaServerException e)
        {
            failures.Add(Named(e, $"the Top Picks playlist '{name}'"));
        }
        if (failures.Count > 0)
        {
            throw failures.Count == 1 ? failures[0]
                : new MediaServerException(failures[0].Kind, string.Join("; ", failures.Select(f => f.Message)), new AggregateException(failures));
        }
        return new TopPicksPublishResult(false, libraryWritten, outputs.Library ? name : null, stored.CollectionId, stored.PlaylistId);
    }

    private static MediaServerException Named(MediaServerException e, string what) =>
        new(e.Kind, $"{what} was not written ({e.Message}); what the server had stays", e, e.StatusCode);

    private async Task SaveServerItemsAsync(MediaKind kind, ServerItems items, CancellationToken ct)
    {
        await json.SetAsync(ServerItemsKey(kind), items, ct);
        await store.SaveAsync(ct);
    }

    internal static string Why(MediaKind kind, int rank, int viewers, int plays, double completion, int days) =>
        string.Create(CultureInfo.InvariantCulture,
            $"Top Pick #{rank} on this server over the last {Plural.Count(days, "day")}: {Plural.Count(viewers, "viewer")}, {Plural.Count(plays, kind == MediaKind.Movie ? "play" : "episode play")}, {completion * 100:0}% {(kind == MediaKind.Movie ? "watched" : "of episodes watched")} on average.");

    // After a rename the library under the old name still points at Aperture's folder: it goes (only libraries over that folder).
    private static async Task RemoveRenamedAsync(MediaServerClient client, MediaKind kind, string name, string serverPath, IJobProgress progress,
        CancellationToken ct)
    {
        foreach (var old in (await client.GetVirtualFoldersAsync(ct)).Where(l => !string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase)
            && (l.Locations ?? []).Any(loc => string.Equals(loc.TrimEnd('/', '\\'), serverPath.TrimEnd('/', '\\'), StringComparison.Ordinal))))
        {
            await client.RemoveLibraryAsync(old, refreshLibrary: false, ct);
            progress.Log($"Removed the {kind.Slug()} Top Picks library's old name '{old.Name}' (renamed to '{name}').");
        }
    }

    // Only a library over Aperture's own folder is removed: a library an admin happens to have called the same is left alone.
    private async Task RemoveLibraryAsync(LibraryWriter writer, MediaServerClient client, MediaKind kind, string name, IJobProgress progress, CancellationToken ct)
    {
        var local = new OutputFileSystem(writer.Options.StrmRoot).LibraryPath(Library(kind));
        var serverPath = writer.Mapper.OutputToServer(local);
        if (await client.FindLibraryAsync(name, ct) is { } existing
            && (existing.Locations ?? []).Any(l => string.Equals(l.TrimEnd('/', '\\'), serverPath.TrimEnd('/', '\\'), StringComparison.Ordinal)))
        {
            await client.RemoveLibraryAsync(existing, refreshLibrary: true, ct);
            progress.Log($"Removed the {kind.Slug()} Top Picks library '{name}'.");
        }
        try
        {
            await writer.DeleteLibraryAsync(Library(kind), ct);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or OutputPathException)
        {
            logger.LogWarning("Could not remove the Top Picks folder: {Error}", e.Message);
        }
    }

    // Members are read as an administrator: Jellyfin lists a box set's members only through a user (without one, none).
    private static async Task<string?> SyncCollectionAsync(MediaServerClient client, bool enabled, string name, string? id, string? admin,
        List<string> itemIds, IJobProgress progress, CancellationToken ct)
    {
        var exists = id is not null && await client.ItemExistsAsync(id, ct);
        if (!enabled)
        {
            if (exists)
            {
                await client.DeleteItemAsync(id!, ct);
                progress.Log($"Removed the Top Picks collection '{name}' (switched off).");
            }
            return null;
        }
        if (itemIds.Count == 0)
        {
            // Servers drop an empty box set; an empty one is kept only if it already exists.
            if (exists)
            {
                await client.RemoveFromCollectionAsync(id!, await client.GetCollectionItemIdsAsync(id!, admin, ct), ct);
            }
            progress.Log($"Top Picks collection '{name}' is empty: no title has enough viewers in the window.");
            return exists ? id : null;
        }
        if (!exists && admin is not null && (await client.FindByNameAsync("BoxSet", name, admin, ct)) is [var adopted, ..])
        {
            // Made by an earlier run whose answer never arrived: taken over rather than made twice.
            (id, exists) = (adopted, true);
        }
        if (!exists)
        {
            var created = await client.CreateCollectionAsync(name, itemIds, ct);
            progress.Log($"Created the Top Picks collection '{name}' with {Plural.Count(itemIds.Count, "title")}.");
            return created;
        }
        var current = await client.GetCollectionItemIdsAsync(id!, admin, ct);
        var wanted = itemIds.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var have = current.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var remove = current.Where(i => !wanted.Contains(i)).ToList();
        var add = itemIds.Where(i => !have.Contains(i)).ToList();
        await client.RemoveFromCollectionAsync(id!, remove, ct);
        await client.AddToCollectionAsync(id!, add, ct);
        progress.Log($"Top Picks collection '{name}': {add.Count} added, {remove.Count} removed.");
        return id;
    }

    // A playlist is owned by a user: the first administrator Aperture knows. Jellyfin's is public (every user sees it);
    // an Emby playlist stays its owner's. New contents make a new playlist that replaces the old one (complete first, then the
    // old one is deleted: never a half-replaced list on the server, whatever stops the run). The start of a replacement is
    // stored before the new playlist exists, so a run killed before it stored the new id leaves a trace the next run follows
    // to delete the playlist it left behind (same owner and name, created since then).
    private async Task<(string? Id, string? Owner)> SyncPlaylistAsync(MediaServerClient client, MediaKind kind, bool enabled, string name,
        ServerItems stored, List<string> itemIds, IJobProgress progress, CancellationToken ct)
    {
        if (stored.PlaylistReplacingSince is { } since && stored.PlaylistOwner is { } previousOwner
            && await client.DeleteReplacementOrphansAsync(previousOwner, name, since, stored.PlaylistId, ct) is > 0 and var orphans)
        {
            progress.Log($"Deleted {Plural.Count(orphans, "Top Picks playlist")} '{name}' left by a run that stopped while replacing it.", JobLogLevel.Warning);
        }
        var exists = stored.PlaylistId is not null && await client.ItemExistsAsync(stored.PlaylistId, ct);
        if (!enabled)
        {
            if (exists)
            {
                await client.DeleteItemAsync(stored.PlaylistId!, ct);
                progress.Log($"Removed the Top Picks playlist '{name}' (switched off).");
            }
            return (null, null);
        }
        var owner = exists && stored.PlaylistOwner is not null ? stored.PlaylistOwner : await FirstAdminAsync(ct);
        if (owner is null)
        {
            progress.Log($"Top Picks playlist '{name}' not written: a playlist needs an owner, and no administrator has been synced yet (run {JobNames.SyncMovies}).",
                JobLogLevel.Warning);
            return (null, null);
        }
        if (!exists && (await client.FindByNameAsync("Playlist", name, owner, ct)) is [var adopted, ..])
        {
            // Made by an earlier run whose answer never arrived: taken over rather than made twice.
            stored = stored with { PlaylistId = adopted };
            exists = true;
        }
        if (!exists)
        {
            var created = await client.CreatePlaylistAsync(name, owner, itemIds, [], ct, isPublic: true);
            progress.Log($"Created the Top Picks playlist '{name}' with {Plural.Count(itemIds.Count, "title")}.");
            return (created, owner);
        }
        if (await client.PlaylistHoldsAsync(stored.PlaylistId!, owner, itemIds, ct) == true)
        {
            return (stored.PlaylistId, owner);
        }
        // Stored (committed) before the new playlist exists on the server.
        await json.SetAsync(ServerItemsKey(kind), stored with { PlaylistOwner = owner, PlaylistReplacingSince = time.GetUtcNow() }, ct);
        await store.SaveAsync(ct);
        // The old one stays recorded and whole if the replacement fails (if taking the new one back fails too, the stored start finds it).
        var replacement = await client.ReplacePlaylistAsync(stored.PlaylistId!, name, owner, itemIds, [], ct, isPublic: true);
        progress.Log($"Top Picks playlist '{name}' replaced by a new one: {Plural.Count(itemIds.Count, "title")}.");
        return (replacement, owner);
    }

    private Task<string?> FirstAdminAsync(CancellationToken ct) =>
        db.Users.AsNoTracking().Where(u => u.IsAdmin && u.PresentOnServer && !u.IsDisabled).OrderBy(u => u.Name).ThenBy(u => u.Id)
            .Select(u => u.Id).FirstOrDefaultAsync(ct);

    // Unreadable ids fail the run (StoredSettingException naming the key): starting over would orphan the old collection
    // and playlist on the server.
    private Task<ServerItems> LoadServerItemsAsync(MediaKind kind, CancellationToken ct) =>
        json.GetAsync(ServerItemsKey(kind), () => new ServerItems(null, null, null), ct);
}
