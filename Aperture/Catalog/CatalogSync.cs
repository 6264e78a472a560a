using System.Globalization;
using Aperture.Data;
using Aperture.MediaServers;
using Aperture.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Aperture.Progress;

namespace Aperture.Catalog;

public sealed record LevelSummary(string Noun, int Added, int Updated, int Removed, int Skipped);

public sealed record CatalogSyncResult(MediaKind Kind, bool Full, IReadOnlyList<LevelSummary> Levels, TimeSpan Elapsed)
{
    public string Summary =>
        $"{(Full ? "Full" : "Delta")} sync of {Kind.Slug()}: "
        + string.Join("; ", Levels.Select(l => $"{l.Noun} {l.Added} added, {l.Updated} updated, {l.Removed} removed, {l.Skipped} skipped"))
        + $" in {Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s";
}

// The catalogue sync of one kind (movies, or series with their episodes), one implementation for both:
//
// 1. users and libraries are refreshed from the server; when every enabled library holding the kind's titles has vanished
//    from it (a wrong or reset server, a re-created library) the run fails here, removing nothing (RefuseToEmptyAsync);
// 2. per level (titles, then episodes) a cheap id-only listing of every enabled library, checked for consistency (every
//    page reports the same total and the ids add up to it; otherwise it is read again);
// 3. the details: everything on a full run or for a library never synced before, else what the server saved since the
//    watermark (MinDateLastSaved) — each page upserted in its own transaction. The watermark is the start time of the
//    last successful run: neither Jellyfin (10.10–12) nor Emby 4.8 sends DateLastSaved in an item, so no save date can be
//    read back; an item saved while a run goes on is read again by the next one;
// 4. a catch-up by id for what the listing shows as new or moved but the detail pass did not return;
// 5. only then removals: titles of libraries no longer enabled or present, and items missing from the listing, confirmed
//    by a second listing — in one transaction with the new watermark.
//
// A failure or cancellation before step 5 leaves every earlier page applied (each one whole) and nothing deleted; the
// watermark only moves with step 5, so the next run reads the same changes again.
public sealed class CatalogSync(AppDbContext db, MediaServerSettings settings, ServerUserSync users, LibraryService libraries,
    SettingsStore store, IOptions<SyncOptions> options, TimeProvider time, ILogger<CatalogSync> logger)
{
    private const int IdsPerRequest = 100;
    private const int ListingAttempts = 3;

    // The watermark is this app's clock, MinDateLastSaved compares with the server's: the delta reaches back a little further
    // so that a server clock a few minutes behind loses nothing (a few items read twice at most).
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly record struct Listed(string LibraryId);

    private sealed class Tally(CatalogLevel level, IJobProgress progress)
    {
        public int Added { get; private set; }
        public int Updated { get; private set; }
        public int Removed { get; private set; }
        public int Skipped { get; private set; }

        public void Add(UpsertCounts c)
        {
            Added += c.Added;
            Updated += c.Updated;
            Skipped += c.Skipped;
            Count("added", c.Added);
            Count("updated", c.Updated);
            Count("skipped", c.Skipped);
        }

        public void AddRemoved(int n)
        {
            Removed += n;
            Count("removed", n);
        }

        public LevelSummary Summary => new(level.Noun, Added, Updated, Removed, Skipped);

        private void Count(string name, int n)
        {
            if (n > 0)
            {
                progress.Count(level.CountPrefix + name, n);
            }
        }
    }

    public async Task<CatalogSyncResult> RunAsync(MediaKind kind, bool forceFull, IJobProgress progress, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var client = await settings.GetClientAsync(ct);
        progress.Stage("Reading users and libraries from the media server");
        ServerFacts facts;
        try
        {
            facts = await client.GetServerFactsAsync(ct);
            await users.SyncAsync(client, ct);
            await libraries.RefreshAsync(client, ct);
        }
        catch (MediaServerException e)
        {
            throw SyncFailedException.While("reading the server's users and libraries", e);
        }

        var now = time.GetUtcNow();
        var marks = await CatalogMarks.LoadAsync(store, kind, ct);
        var every = options.Value.FullCatalogEveryDays;
        var full = forceFull || marks.LastFullAt is null || (every > 0 && now - marks.LastFullAt > TimeSpan.FromDays(every));
        var active = await libraries.ActiveAsync(kind, ct);
        var activeIds = active.Select(l => l.Id).ToHashSet();
        var titles = new TitleLevel(db, kind);
        CatalogLevel[] levels = kind == MediaKind.Series ? [titles, new EpisodeLevel(db)] : [titles];

        var storedTitles = await titles.LoadStoredAsync(ct);
        if (active.Count == 0 && storedTitles.Count > 0)
        {
            await RefuseToEmptyAsync(kind, storedTitles, ct);
        }
        // A library never synced before is read whole even in a delta run: its items are older than the watermark.
        var syncedLibraries = storedTitles.Values.Select(s => s.LibraryId).ToHashSet();
        var missing = new Dictionary<CatalogLevel, List<string>>();
        // An item that moved between two detail pages may have been skipped; the catch-up finds it only when it is new, so the
        // watermark stays put and the next run reads the same window again.
        var steady = true;
        var tallies = levels.ToDictionary(l => l, l => new Tally(l, progress));

        foreach (var level in levels)
        {
            var listed = await ListAsync(client, level, active, progress, ct);
            var stored = level == titles ? storedTitles : await level.LoadStoredAsync(ct);
            var fetched = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var library in active)
            {
                var since = !full && marks.Watermark is { } w && syncedLibraries.Contains(library.Id) ? w - ClockSkew : (DateTimeOffset?)null;
                steady &= await FetchAsync(client, facts, level, library, since, fetched, tallies[level], progress, ct);
            }
            await CatchUpAsync(client, level, listed, stored, fetched, tallies[level], progress, ct);

            missing[level] = [.. stored.Where(s => activeIds.Contains(s.Value.LibraryId) && !listed.ContainsKey(s.Key)).Select(s => s.Key)];
        }

        // Every listing of this run is complete: removals may now happen, each confirmed by a second listing so that an
        // item that only shifted between pages is never taken for deleted.
        progress.Stage("Removing titles gone from the server or from enabled libraries");
        var confirmed = new Dictionary<CatalogLevel, List<string>>();
        foreach (var (level, ids) in missing)
        {
            confirmed[level] = ids.Count == 0 ? [] : await ConfirmGoneAsync(client, level, active, ids, progress, ct);
        }

        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // Titles of libraries no longer enabled or present. This run added titles only to enabled ones, so with none stored
            // outside them at its start (a first sync, or libraries unchanged) there is nothing to delete and no statement to send.
            if (storedTitles.Values.Any(s => !activeIds.Contains(s.LibraryId)))
            {
                tallies[titles].AddRemoved(await titles.DeleteOutsideAsync(activeIds, ct));
            }
            foreach (var (level, ids) in confirmed)
            {
                tallies[level].AddRemoved(await level.DeleteAsync(ids, ct));
            }
            if (kind == MediaKind.Series)
            {
                await titles.UpdateEpisodeCountsAsync(ct);
            }
            await CatalogMarks.SaveAsync(store, kind, steady ? now : marks.Watermark, full ? now : marks.LastFullAt, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        db.ChangeTracker.Clear();

        var result = new CatalogSyncResult(kind, full, [.. levels.Select(l => tallies[l].Summary)], time.GetElapsedTime(started));
        logger.LogInformation("{Summary}", result.Summary);
        return result;
    }

    // Nothing of the kind is enabled and present any more, yet it has titles. When the libraries the admin had switched on
    // are all gone from the server (not switched off: that is a choice, and their titles leave), Aperture is almost
    // certainly looking at another server, a reset one, or a library re-created under a new id (Emby; Jellyfin derives a
    // library's id from its folder). Removing everything would take every pick, feedback and watch state with it and
    // report success, so the run fails instead, removing nothing, and says what the admin can do. A new library is never
    // switched on in the old one's place by itself: a same-named library of a wrong server would then replace the
    // catalogue, and titles the server re-created under new ids would lose their picks without anyone having chosen that.
    private async Task RefuseToEmptyAsync(MediaKind kind, Dictionary<string, StoredItem> storedTitles, CancellationToken ct)
    {
        var held = storedTitles.Values.GroupBy(s => s.LibraryId).ToDictionary(g => g.Key, g => g.Count());
        var (gone, off) = await libraries.VanishedSourcesAsync(kind, held.Keys, ct);
        if (gone.Count == 0)
        {
            return;
        }
        var word = kind == MediaKind.Movie ? "movie" : "TV";
        var goneNames = gone.Select(l => $"{Quote(l.Name)} ({held.GetValueOrDefault(l.Id)} {kind.Noun(held.GetValueOrDefault(l.Id))})");
        // The likely successor first: the same name, or one of the same folders.
        var likely = off.Where(l => gone.Any(g => string.Equals(g.Name, l.Name, StringComparison.OrdinalIgnoreCase))
            || gone.Any(g => g.Locations.Intersect(l.Locations).Any())).ToHashSet();
        var offNames = off.OrderByDescending(likely.Contains)
            .Select(l => Quote(l.Name) + (likely.Contains(l) ? " (same name or folder)" : ""));
        var total = storedTitles.Count;
        throw new SyncFailedException(
            $"Every enabled {word} library Aperture synced is gone from the media server: {List(goneNames)}. Nothing was removed. "
            + (off.Count == 0 ? $"The server has no other {word} library. " : $"The server's {word} libraries not enabled: {List(offNames)}. ")
            + "If the server was reset or the library re-created, enable the new one in Admin › Settings › Libraries (titles the server "
            + "still lists under the same id keep their picks, feedback and history; the others are replaced by the new library's). "
            + "If Aperture points at the wrong server, correct Admin › Settings › Media server. If the library was deleted on purpose, "
            + $"switch it off in Admin › Settings › Libraries and the next sync removes its titles. Until then all {total} {kind.Noun(total)} are kept.");
    }

    private static string Quote(string name) => "'" + (name.Length <= 40 ? name : name[..40] + "…") + "'";

    // At most three names of 40 characters each, so the guidance after them fits the job run's error (1,000 characters).
    private static string List(IEnumerable<string> names)
    {
        var all = names.ToList();
        return string.Join(", ", all.Take(3)) + (all.Count > 3 ? $" and {all.Count - 3} more" : "");
    }

    // Ids (and save dates) of every item of the level in the enabled libraries.
    private async Task<Dictionary<string, Listed>> ListAsync(MediaServerClient client, CatalogLevel level, IReadOnlyList<Library> active,
        IJobProgress progress, CancellationToken ct)
    {
        var all = new Dictionary<string, Listed>(StringComparer.OrdinalIgnoreCase);
        foreach (var library in active)
        {
            progress.Stage($"Listing {level.Noun} in '{library.Name}'");
            for (var attempt = 1; ; attempt++)
            {
                var (items, problem) = await ListLibraryOnceAsync(client, level, library, progress, ct);
                if (problem is null)
                {
                    foreach (var (id, listed) in items)
                    {
                        all[id] = listed;
                    }
                    break;
                }
                if (attempt == ListingAttempts)
                {
                    throw new SyncFailedException($"The {level.Noun} of library '{library.Name}' kept changing while they were listed ({problem}). "
                        + "Nothing was deleted; run the sync again once the server's library scan is done.");
                }
                progress.Log($"The {level.Noun} of '{library.Name}' changed while being listed ({problem}); listing again.", JobLogLevel.Warning);
            }
        }
        return all;
    }

    private async Task<(Dictionary<string, Listed> Items, string? Problem)> ListLibraryOnceAsync(MediaServerClient client, CatalogLevel level,
        Library library, IJobProgress progress, CancellationToken ct)
    {
        var query = new ItemsQuery
        {
            IncludeItemTypes = [level.ItemType],
            ParentId = library.Id,
            SortBy = [ItemSortBy.DateCreated, ItemSortBy.SortName],
            EnableImages = false,
        };
        var items = new Dictionary<string, Listed>(StringComparer.OrdinalIgnoreCase);
        int? total = null;
        string? problem = null;
        var size = options.Value.ListingPageSize;
        await ServerPaging.ForEachPageAsync(client, query, size, size, $"listing the {level.Noun} of library '{library.Name}'", page =>
        {
            if (total is null)
            {
                total = page.TotalRecordCount;
                progress.SetTotal(total);
            }
            else if (page.TotalRecordCount != total)
            {
                problem ??= $"{total} at first, then {page.TotalRecordCount}";
            }
            foreach (var item in page.Items.Where(i => !string.IsNullOrEmpty(i.Id)))
            {
                items[item.Id] = new Listed(library.Id);
            }
            progress.Advance(page.Items.Count);
            return Task.FromResult(true);
        }, ct, prefetch: true);
        if (problem is null && items.Count != (total ?? 0))
        {
            problem = $"{total} reported, {items.Count} distinct ids read";
        }
        return (items, problem);
    }

    // False when the result changed while it was paged (its total moved): an item may have slipped between two pages.
    private async Task<bool> FetchAsync(MediaServerClient client, ServerFacts facts, CatalogLevel level, Library library, DateTimeOffset? since,
        HashSet<string> fetched, Tally tally, IJobProgress progress, CancellationToken ct)
    {
        progress.Stage(since is null ? $"Fetching all {level.Noun} from '{library.Name}'" : $"Fetching {level.Noun} changed in '{library.Name}'");
        var query = DetailQuery(client, level) with
        {
            ParentId = library.Id,
            MinDateLastSaved = since,
            MinDateLastSavedForUser = since is not null && !MediaServerClient.MinDateLastSavedWorks(facts) ? since : null,
        };
        var size = options.Value.PageSize;
        int? total = null;
        var steady = true;
        await ServerPaging.ForEachPageAsync(client, query, size, size, $"fetching the {level.Noun} of library '{library.Name}'", async page =>
        {
            if (total is null)
            {
                total = page.TotalRecordCount;
                progress.SetTotal(page.TotalRecordCount);
            }
            steady &= page.TotalRecordCount == total;
            tally.Add(await level.UpsertAsync(page.Items, library.Id, time.GetUtcNow(), ct));
            fetched.UnionWith(page.Items.Select(i => i.Id));
            progress.Advance(page.Items.Count);
            return true;
        }, ct, prefetch: true);
        if (!steady)
        {
            progress.Log($"The {level.Noun} of '{library.Name}' changed while their details were read; the next run reads this window again.",
                JobLogLevel.Warning);
        }
        return steady;
    }

    private async Task CatchUpAsync(MediaServerClient client, CatalogLevel level, Dictionary<string, Listed> listed,
        Dictionary<string, StoredItem> stored, HashSet<string> fetched, Tally tally, IJobProgress progress, CancellationToken ct)
    {
        var stale = listed
            .Where(p => !fetched.Contains(p.Key) && (!stored.TryGetValue(p.Key, out var s) || s.LibraryId != p.Value.LibraryId))
            .ToList();
        if (stale.Count == 0)
        {
            return;
        }
        progress.Stage($"Fetching {stale.Count} {level.Noun} the listing showed as new or changed", stale.Count);
        foreach (var group in stale.GroupBy(p => p.Value.LibraryId))
        {
            foreach (var chunk in group.Select(p => p.Key).Chunk(IdsPerRequest))
            {
                ItemPage page;
                try
                {
                    page = await client.GetItemsAsync(DetailQuery(client, level) with { Ids = chunk }, 0, chunk.Length, ct);
                }
                catch (MediaServerException e)
                {
                    throw SyncFailedException.While($"fetching {chunk.Length} {level.Noun} by id", e);
                }
                // One that vanished since the listing is simply not returned; the next run removes it.
                tally.Add(await level.UpsertAsync(page.Items, group.Key, time.GetUtcNow(), ct));
                progress.Advance(chunk.Length);
            }
        }
    }

    private async Task<List<string>> ConfirmGoneAsync(MediaServerClient client, CatalogLevel level, IReadOnlyList<Library> active,
        List<string> candidates, IJobProgress progress, CancellationToken ct)
    {
        var again = await ListAsync(client, level, active, progress, ct);
        var gone = candidates.Where(id => !again.ContainsKey(id)).ToList();
        if (gone.Count < candidates.Count)
        {
            progress.Log($"{candidates.Count - gone.Count} {level.Noun} missing from the first listing are still on the server; kept.", JobLogLevel.Warning);
        }
        return gone;
    }

    private static ItemsQuery DetailQuery(MediaServerClient client, CatalogLevel level) => new()
    {
        IncludeItemTypes = [level.ItemType],
        Fields = client.CatalogFields,
        SortBy = [ItemSortBy.DateCreated, ItemSortBy.SortName],
        ImageTypeLimit = 1,
    };
}

// Per kind: the newest server save date the catalogue holds, and when the last full run finished. Under sync.<kind>.
// (CatalogPurge.SyncSettingsPrefix), so purging a kind makes its next sync read everything again.
internal static class CatalogMarks
{
    public sealed record Marks(DateTimeOffset? Watermark, DateTimeOffset? LastFullAt);

    private static SettingKey WatermarkKey(MediaKind kind) => new(CatalogPurge.SyncSettingsPrefix(kind) + "watermark");

    private static SettingKey LastFullKey(MediaKind kind) => new(CatalogPurge.SyncSettingsPrefix(kind) + "lastFullSyncAt");

    public static async Task<Marks> LoadAsync(SettingsStore store, MediaKind kind, CancellationToken ct) =>
        new(Parse((await store.GetAsync(WatermarkKey(kind), ct)).Value), Parse((await store.GetAsync(LastFullKey(kind), ct)).Value));

    public static async Task SaveAsync(SettingsStore store, MediaKind kind, DateTimeOffset? watermark, DateTimeOffset? lastFull, CancellationToken ct)
    {
        await store.SetAsync(WatermarkKey(kind), Format(watermark), ct);
        await store.SetAsync(LastFullKey(kind), Format(lastFull), ct);
    }

    private static DateTimeOffset? Parse(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var v) ? v : null;

    private static string? Format(DateTimeOffset? value) => value?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
}
