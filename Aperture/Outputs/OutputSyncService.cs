using Aperture.Data;
using Aperture.MediaServers;
using Microsoft.EntityFrameworkCore;
using Aperture.Progress;
using Aperture.Wording;

namespace Aperture.Outputs;

public sealed record OutputSyncResult(int Users, int Written, int Unchanged, int Removed, int Items, int Skipped, int AccessChanged, IReadOnlyList<string> Errors);

// sync-strm / sync-series-strm: every enabled user's picks of a kind become their own library folder (symlinks or
// STRM files + NFOs), a media-server library pointing at it, refreshed when its files changed; libraries of users
// no longer enabled are removed; then every user's policy is set so each sees their own picks library and no one
// else's. Runs after the recommendation jobs.
public sealed class OutputSyncService(
    AppDbContext db,
    OutputSettings settings,
    MediaServerSettings mediaServer,
    LibraryAccessService access,
    ISharedLibraryNames topPicks,
    TimeProvider time,
    ILogger<OutputSyncService> logger)
{
    // Users whose picks are read in one query.
    private const int EntriesBatchUsers = 64;

    public static string LibraryName(string prefix, string userName, MediaKind kind) =>
        $"{prefix}{userName}{(kind == MediaKind.Movie ? "" : " (Series)")}";

    // The server-side name: the plain one, unless the user name is not a plain name (control or bidi characters, trailing
    // dots) or cleans to the same name as another user's; then the cleaned name with the user's id tag, so two users never
    // share a library name (the servers name the library's own folder after it).
    public static string LibraryName(string prefix, string userName, string userIdTag, IEnumerable<string> allUserNames, MediaKind kind)
    {
        var cleaned = SafeName.Clean(userName);
        var twins = allUserNames.Count(n => string.Equals(SafeName.Clean(n), cleaned, StringComparison.OrdinalIgnoreCase));
        return cleaned == userName && twins <= 1
            ? LibraryName(prefix, userName, kind)
            : LibraryName(prefix, $"{cleaned} [{userIdTag}]", kind);
    }

    public async Task<OutputSyncResult> SyncAsync(MediaKind kind, IJobProgress progress, CancellationToken ct)
    {
        var writer = await settings.WriterAsync(ct);
        var o = writer.Options;
        var connection = await mediaServer.GetConnectionAsync(ct)
            ?? throw new MediaServerException(MediaServerErrorKind.NotConfigured, "No media server is configured yet: an admin sets it up under Admin › Settings.");
        var client = await mediaServer.GetClientAsync(ct);
        var libraries = new ServerLibraries(client, time);
        var mode = o.ModeFor(kind);
        var urls = mode == OutputMode.Strm ? StreamUrlBuilder.For(connection.Type, connection.BaseUrl.ToString(), connection.ApiKey) : null;

        var users = await db.Users.AsNoTracking().Where(u => u.PresentOnServer && !u.IsDisabled)
            .Where(AppUserPicks.HasPicks(kind))
            .OrderBy(u => u.Name).Select(u => new { u.Id, u.Name }).ToListAsync(ct);
        // Every user the server has, enabled or not: a tag or name must not change when another user is switched on.
        var everyone = await db.Users.AsNoTracking().Select(u => new { u.Id, u.Name }).ToListAsync(ct);
        var allUserIds = everyone.Select(u => u.Id).ToList();
        var allUserNames = everyone.Select(u => u.Name).ToList();
        var errors = new List<string>();
        int written = 0, unchanged = 0, items = 0, skipped = 0, picks = 0;
        SkippedEntry? firstMissing = null;
        string? firstReason = null;

        // One user's library failing keeps their last good one and does not stop the others.
        var failures = 0;
        void Failed(string userName, OutputLibraryRecord record, string error)
        {
            failures++;
            record.LastError = error;
            errors.Add($"{userName}: {error}");
            progress.Log($"{userName}: {error}", JobLogLevel.Error);
            logger.LogError("Picks library of {User} could not be written: {Error}", userName, error);
        }

        progress.Stage($"Writing {kind.Slug()} picks libraries", users.Count);
        // Every record of the kind in one query; each user's picks read a batch of users at a time.
        var records = (await db.OutputLibraries.Where(r => r.Kind == kind).ToListAsync(ct))
            .GroupBy(r => r.UserId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        // Pass 1: files, and the libraries that do not exist yet (created without waiting for their ids).
        var written1 = new List<(string UserName, string Name, OutputLibraryRecord Record, OutputWriteResult Result)>(users.Count);
        foreach (var batch in users.Chunk(EntriesBatchUsers))
        {
            var entriesOf = await EntriesAsync([.. batch.Select(u => u.Id)], kind, mode, ct);
            foreach (var user in batch)
            {
                ct.ThrowIfCancellationRequested();
                var tag = OutputLibrary.UserIdTag(user.Id, allUserIds);
                var library = OutputLibrary.ForUser(o.LibraryNamePrefix, user.Name, tag, kind);
                var name = LibraryName(o.LibraryNamePrefix, user.Name, tag, allUserNames, kind);
                var record = records.GetValueOrDefault(user.Id);
                if (record is not null && (record.FolderName != library.FolderName || record.LibraryName != name))
                {
                    // The user was renamed on the server: the old folder and library go, the new ones are made below.
                    await RemoveAsync(writer, libraries, record, ct);
                    db.OutputLibraries.Remove(record);
                    await db.SaveChangesAsync(ct);
                    record = null;
                }
                var entries = entriesOf.GetValueOrDefault(user.Id) ?? [];
                entriesOf.Remove(user.Id);
                picks += entries.Count;
                if (entries.Count == 0)
                {
                    // Nothing to put in it: no library is made (an empty one in the server only confuses), one already there stays.
                    progress.Log($"{user.Name}: no {kind.Slug()} picks yet, so no library was written (run {JobNames.Recommendations(kind)} first).");
                    progress.Advance(1, user.Name);
                    continue;
                }
                record ??= db.OutputLibraries.Add(new OutputLibraryRecord { UserId = user.Id, Kind = kind, LibraryName = name, FolderName = library.FolderName }).Entity;
                records[user.Id] = record;
                // What was being done when a step failed, so the run's error names it (a timeout alone says nothing of where).
                var step = "writing the files";
                try
                {
                    var result = await writer.WriteAsync(library, entries, mode, urls, ct);
                    if (result.Changed)
                    {
                        // Due from the moment the files changed: if a later step fails, the next run still asks for the rescan
                        // even though it finds the files unchanged.
                        record.RefreshPending = true;
                    }
                    step = "listing the media server's libraries";
                    if (!await libraries.ListedAsync(name, ct))
                    {
                        step = $"creating the library '{name}'";
                        await libraries.CreateAsync(name, kind, result.ServerPath, ct);
                    }
                    written1.Add((user.Name, name, record, result));
                }
                catch (NothingWrittenException e)
                {
                    // Every pick skipped: the last good library (if any) stays, and no library is made for nothing.
                    firstMissing ??= e.Skipped.FirstOrDefault(s => s.MissingPath is not null);
                    firstReason ??= e.Skipped.Count > 0 ? e.Skipped[0].Reason : null;
                    skipped += e.Skipped.Count;
                    record.SkippedCount = e.Skipped.Count;
                    record.SkippedSummary = Summary(e.Skipped);
                    record.LastError = e.Message;
                    errors.Add($"{user.Name}: {e.Message}");
                    progress.Log($"{user.Name}: {e.Message}", JobLogLevel.Error);
                    progress.Advance(1, user.Name);
                }
                catch (Exception e) when (e is OutputPathException or MappedPathNotFoundException or IOException or UnauthorizedAccessException or MediaServerException)
                {
                    Failed(user.Name, record, e is MediaServerException ? $"{step}: {e.Message}" : e.Message);
                    progress.Advance(1, user.Name);
                }
            }
        }
        await db.SaveChangesAsync(ct);

        // Pass 2: each library's ids (one list read after all creations), its record, and a refresh where the files changed.
        var due = new List<(string UserName, OutputLibraryRecord Record, string ItemId)>();
        foreach (var (userName, name, record, result) in written1)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                var server = await libraries.EnsureLibraryAsync(name, kind, result.ServerPath, ct);
                var refresh = result.Changed || record.RefreshPending || record.ServerItemId != server.ItemId;
                record.LocalPath = result.LocalPath;
                record.ServerPath = result.ServerPath;
                record.ServerItemId = server.ItemId;
                record.AccessId = server.AccessId;
                record.Mode = mode;
                record.ItemCount = result.ItemCount;
                record.SkippedCount = result.Skipped.Count;
                record.SkippedSummary = Summary(result.Skipped);
                record.LastWrittenAt = time.GetUtcNow();
                record.LastError = null;
                items += result.ItemCount;
                skipped += result.Skipped.Count;
                firstMissing ??= result.Skipped.FirstOrDefault(s => s.MissingPath is not null);
                progress.Count("titles", result.ItemCount);
                if (result.Skipped.Count > 0)
                {
                    progress.Log($"{userName}: {Plural.Count(result.Skipped.Count, "pick")} skipped ({record.SkippedSummary})", JobLogLevel.Warning);
                }
                if (refresh)
                {
                    // Stays due until a refresh succeeds: the files are in place, the server just has not looked yet.
                    record.RefreshPending = true;
                    due.Add((userName, record, server.ItemId));
                }
                else
                {
                    unchanged++;
                    progress.Advance(1, userName);
                }
            }
            catch (MediaServerException e)
            {
                Failed(userName, record, $"making sure the library '{name}' exists with the right folder and options: {e.Message}");
                progress.Advance(1, userName);
            }
        }
        // Every due refresh recorded in one save before asking (a crash in between only asks again next run).
        await db.SaveChangesAsync(ct);
        foreach (var (userName, record, itemId) in due)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                await libraries.RefreshLibraryAsync(itemId, ct);
                record.RefreshPending = false;
                written++;
            }
            catch (MediaServerException e)
            {
                record.LastError = $"the server did not rescan the library ({e.Message}); the next run asks again";
                errors.Add($"{userName}: {record.LastError}");
                progress.Log($"{userName}: {record.LastError}", JobLogLevel.Error);
            }
            progress.Advance(1, userName);
        }
        await db.SaveChangesAsync(ct);

        // Users switched off, disabled or gone: their library leaves the disk and the server.
        var enabled = users.Select(u => u.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var stale = (await db.OutputLibraries.Where(r => r.Kind == kind).ToListAsync(ct)).Where(r => !enabled.Contains(r.UserId)).ToList();
        foreach (var record in stale)
        {
            try
            {
                await RemoveAsync(writer, libraries, record, ct);
                db.OutputLibraries.Remove(record);
                progress.Log($"Removed {record.LibraryName}: its user no longer gets {kind.Slug()} picks.");
            }
            catch (Exception e) when (e is OutputPathException or IOException or UnauthorizedAccessException or MediaServerException)
            {
                record.LastError = e.Message;
                errors.Add($"{record.LibraryName}: {e.Message}");
            }
        }
        await db.SaveChangesAsync(ct);

        // (Only when nothing failed otherwise: a server that refused every library is that error, not "every pick was skipped".)
        if (picks > 0 && items == 0 && failures == 0)
        {
            // Loud and specific: a green run that wrote nothing is the worst kind of failure to debug.
            var why = firstMissing is not null
                ? $"their files are not at the paths Aperture sees (e.g. {firstMissing.MissingPath}); set the media path mapping in Admin › Outputs"
                : firstReason ?? "every pick was skipped";
            throw new OutputSyncException($"0 of {Plural.Count(picks, "pick")} written: {why}. No library was created and nobody's library access was changed.");
        }

        var accessChanged = 0;
        var libraryCount = await db.OutputLibraries.CountAsync(r => r.ServerItemId != null, ct);
        if (libraryCount == 0)
        {
            // No picks library exists in the server: nobody's access needs protecting, so none is touched.
            progress.Log("No picks library exists in the media server yet, so nobody's library access was changed.");
        }
        else
        {
            progress.Stage("Setting library access for every user");
            try
            {
                var accessResult = await access.ApplyAsync(await PicksLibrariesAsync(ct), ct);
                foreach (var failed in accessResult.Failed)
                {
                    errors.Add($"access for {failed.UserName}: {failed.Error}");
                }
                foreach (var converted in accessResult.ConvertedNow)
                {
                    progress.Log($"{converted.UserName} could see all libraries; they now have an explicit list of every real library plus their own picks.");
                }
                accessChanged = accessResult.Users.Count(u => u.Changed);
            }
            catch (MediaServerException e)
            {
                // Nobody's policy was written: reading the users and libraries comes before any change.
                errors.Add($"library access: reading the media server's users and libraries failed, so nobody's access was changed: {e.Message}");
            }
        }
        var summary = new OutputSyncResult(users.Count, written, unchanged, stale.Count, items, skipped, accessChanged, errors);
        if (errors.Count > 0)
        {
            // Loud: a privacy setting that did not stick, or a library that could not be written, fails the run.
            throw new OutputSyncException($"{Plural.Count(errors.Count, "problem")}: {string.Join(" | ", errors)}");
        }
        return summary;
    }

    private static string? Summary(IReadOnlyList<SkippedEntry> skipped) => skipped.Count == 0 ? null
        : string.Join("; ", skipped.Take(5).Select(s => $"#{s.Rank} {s.Title}: {s.Reason}")) + (skipped.Count > 5 ? $"; and {skipped.Count - 5} more" : "");

    // Which libraries are whose: what this and earlier runs made (both kinds), plus Aperture's shared ones.
    public async Task<PicksLibraries> PicksLibrariesAsync(CancellationToken ct)
    {
        var records = (await db.OutputLibraries.AsNoTracking().Where(r => r.ServerItemId != null).ToListAsync(ct))
            .GroupBy(r => r.UserId, StringComparer.OrdinalIgnoreCase).ToList();
        var own = records.ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(r => r.LibraryName).ToList(), StringComparer.OrdinalIgnoreCase);
        var folders = records.ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(r => r.ServerPath).OfType<string>().ToList(),
            StringComparer.OrdinalIgnoreCase);
        // Top Picks libraries are everybody's: every user keeps them.
        return PicksLibraries.Of(own, await topPicks.SharedLibraryNamesAsync(ct), [(await settings.GetAsync(ct)).LibraryNamePrefix], folders);
    }

    private static async Task RemoveAsync(LibraryWriter writer, ServerLibraries libraries, OutputLibraryRecord record, CancellationToken ct)
    {
        await libraries.RemoveLibraryAsync(record.LibraryName, ct);
        await writer.DeleteLibraryAsync(new OutputLibrary(record.FolderName), ct);
    }

    // The picks of several users, each user's in rank order, in one query (and their episodes in one more).
    private async Task<Dictionary<string, List<OutputEntry>>> EntriesAsync(List<string> userIds, MediaKind kind, OutputMode mode, CancellationToken ct)
    {
        var picks = await db.Picks.AsNoTracking().Where(p => userIds.Contains(p.UserId) && p.Kind == kind).OrderBy(p => p.UserId).ThenBy(p => p.Rank)
            .Select(p => new
            {
                p.UserId, p.Rank, p.TitleId, p.Title.ServerItemId, p.Title.Name, p.Title.Year, p.Title.Overview, p.Title.ImdbId, p.Title.TmdbId, p.Title.TvdbId,
                p.Title.Path, p.Explanation,
            })
            .ToListAsync(ct);
        var episodes = new Dictionary<long, List<EpisodeEntry>>();
        if (kind == MediaKind.Series && mode == OutputMode.Strm)
        {
            var ids = picks.Select(p => p.TitleId).Distinct().ToList();
            episodes = (await db.Episodes.AsNoTracking().Where(e => ids.Contains(e.SeriesId))
                    .OrderBy(e => e.SeasonNumber).ThenBy(e => e.EpisodeNumber).ThenBy(e => e.Id)
                    .Select(e => new { e.SeriesId, e.ServerItemId, e.SeasonNumber, e.EpisodeNumber, e.Name }).ToListAsync(ct))
                .GroupBy(e => e.SeriesId)
                .ToDictionary(g => g.Key, g => g.Select(e => new EpisodeEntry(e.ServerItemId, e.SeasonNumber, e.EpisodeNumber, e.Name)).ToList());
        }
        return picks.GroupBy(p => p.UserId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(p => new OutputEntry(p.Rank, kind, p.ServerItemId,
            p.Name, p.Year, p.Overview, p.ImdbId, p.TmdbId, p.TvdbId, p.Path, episodes.GetValueOrDefault(p.TitleId) ?? [], p.Explanation)).ToList(),
            StringComparer.Ordinal);
    }
}

public sealed class OutputSyncException(string message) : Exception(message);
