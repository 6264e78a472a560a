using Aperture.Data;
using Aperture.MediaServers;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Catalog;

// An episode's library is its series' library.
internal readonly record struct StoredItem(string LibraryId, DateTimeOffset? SavedAt);

internal readonly record struct UpsertCounts(int Added, int Updated, int Skipped);

// One level of the catalogue as the sync walks it: the titles of a kind (movies or series), then, for series, their
// episodes. The sync itself is the same for every level; only the rows differ.
internal abstract class CatalogLevel(AppDbContext db)
{
    protected const int DeleteChunk = 500;

    protected AppDbContext Db => db;
    public abstract string ItemType { get; }
    public abstract string Noun { get; }

    // "" for titles, "episodes " for episodes: the job's counters read "added", "episodes added", ...
    public abstract string CountPrefix { get; }

    public abstract Task<Dictionary<string, StoredItem>> LoadStoredAsync(CancellationToken ct);

    // One page, one transaction; the existing rows of the page are loaded in one query.
    public abstract Task<UpsertCounts> UpsertAsync(IReadOnlyList<BaseItemDto> items, string libraryId, DateTimeOffset now, CancellationToken ct);

    public abstract Task<int> DeleteAsync(IReadOnlyCollection<string> serverItemIds, CancellationToken ct);

    // The page's new rows in bulk and its changed rows through EF, in one transaction.
    protected async Task SaveAsync<T>(List<T> fresh, CancellationToken ct) where T : class
    {
        await using (var tx = await Db.Database.BeginTransactionAsync(ct))
        {
            await BulkInsert.InsertAsync(Db, fresh, ct);
            await Db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        Db.ChangeTracker.Clear();
    }

    protected static IEnumerable<List<string>> Chunks(IReadOnlyCollection<string> ids) => ids.Chunk(DeleteChunk).Select(c => c.ToList());
}

internal sealed class TitleLevel(AppDbContext db, MediaKind kind) : CatalogLevel(db)
{
    public override string ItemType => kind.ServerItemType();
    public override string Noun => kind.Slug();
    public override string CountPrefix => "";

    public override async Task<Dictionary<string, StoredItem>> LoadStoredAsync(CancellationToken ct) =>
        await Db.Titles.AsNoTracking().Where(t => t.Kind == kind)
            .Select(t => new { t.ServerItemId, t.LibraryId, t.ServerSavedAt })
            .ToDictionaryAsync(t => t.ServerItemId, t => new StoredItem(t.LibraryId, t.ServerSavedAt), StringComparer.OrdinalIgnoreCase, ct);

    public override async Task<UpsertCounts> UpsertAsync(IReadOnlyList<BaseItemDto> items, string libraryId, DateTimeOffset now, CancellationToken ct)
    {
        var ids = items.Select(i => i.Id).ToList();
        var existing = await Db.Titles.Where(t => t.Kind == kind && ids.Contains(t.ServerItemId))
            .ToDictionaryAsync(t => t.ServerItemId, StringComparer.OrdinalIgnoreCase, ct);
        var fresh = new List<Title>();
        int added = 0, updated = 0, skipped = 0;
        foreach (var item in items)
        {
            if (!string.Equals(item.Type, ItemType, StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(item.Id))
            {
                skipped++;
                continue;
            }
            if (existing.TryGetValue(item.Id, out var title))
            {
                if (CatalogMapping.Apply(title, item, libraryId))
                {
                    title.SyncedAt = now;
                    updated++;
                }
                continue;
            }
            title = new Title { Kind = kind, ServerItemId = item.Id, LibraryId = libraryId, Name = "", SyncedAt = now };
            CatalogMapping.Apply(title, item, libraryId);
            existing[item.Id] = title;
            fresh.Add(title);
            added++;
        }
        await SaveAsync(fresh, ct);
        return new UpsertCounts(added, updated, skipped);
    }

    public override async Task<int> DeleteAsync(IReadOnlyCollection<string> serverItemIds, CancellationToken ct)
    {
        var removed = 0;
        foreach (var chunk in Chunks(serverItemIds))
        {
            // Episodes and watch states go with their title (ON DELETE CASCADE).
            removed += await Db.Titles.Where(t => t.Kind == kind && chunk.Contains(t.ServerItemId)).ExecuteDeleteAsync(ct);
        }
        return removed;
    }

    public async Task<int> DeleteOutsideAsync(IReadOnlyCollection<string> activeLibraryIds, CancellationToken ct) =>
        await Db.Titles.Where(t => t.Kind == kind && !activeLibraryIds.Contains(t.LibraryId)).ExecuteDeleteAsync(ct);

    // Counted from the synced episodes, so the number agrees with what Aperture holds.
    public async Task UpdateEpisodeCountsAsync(CancellationToken ct) =>
        await Db.Titles.Where(t => t.Kind == kind).ExecuteUpdateAsync(s => s.SetProperty(t => t.EpisodeCount, t => t.Episodes.Count()), ct);
}

internal sealed class EpisodeLevel(AppDbContext db) : CatalogLevel(db)
{
    private Dictionary<string, long>? seriesIds;

    public override string ItemType => "Episode";
    public override string Noun => "episodes";
    public override string CountPrefix => "episodes ";

    public override async Task<Dictionary<string, StoredItem>> LoadStoredAsync(CancellationToken ct) =>
        await Db.Episodes.AsNoTracking()
            .Select(e => new { e.ServerItemId, e.Series.LibraryId, e.ServerSavedAt })
            .ToDictionaryAsync(e => e.ServerItemId, e => new StoredItem(e.LibraryId, e.ServerSavedAt), StringComparer.OrdinalIgnoreCase, ct);

    public override async Task<UpsertCounts> UpsertAsync(IReadOnlyList<BaseItemDto> items, string libraryId, DateTimeOffset now, CancellationToken ct)
    {
        // The series were synced just before: their ids are loaded once, not per episode.
        seriesIds ??= await Db.Titles.AsNoTracking().Where(t => t.Kind == MediaKind.Series)
            .Select(t => new { t.ServerItemId, t.Id })
            .ToDictionaryAsync(t => t.ServerItemId, t => t.Id, StringComparer.OrdinalIgnoreCase, ct);
        var ids = items.Select(i => i.Id).ToList();
        var existing = await Db.Episodes.Where(e => ids.Contains(e.ServerItemId))
            .ToDictionaryAsync(e => e.ServerItemId, StringComparer.OrdinalIgnoreCase, ct);
        var fresh = new List<Episode>();
        int added = 0, updated = 0, skipped = 0;
        foreach (var item in items)
        {
            // An episode whose series is not synced (added after the series were listed) waits for the next run.
            if (!string.Equals(item.Type, ItemType, StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(item.Id)
                || item.SeriesId is null || !seriesIds.TryGetValue(item.SeriesId, out var seriesId))
            {
                skipped++;
                continue;
            }
            if (existing.TryGetValue(item.Id, out var episode))
            {
                if (CatalogMapping.Apply(episode, item, seriesId))
                {
                    episode.SyncedAt = now;
                    updated++;
                }
                continue;
            }
            episode = new Episode { ServerItemId = item.Id, Name = "", SyncedAt = now };
            CatalogMapping.Apply(episode, item, seriesId);
            existing[item.Id] = episode;
            fresh.Add(episode);
            added++;
        }
        await SaveAsync(fresh, ct);
        return new UpsertCounts(added, updated, skipped);
    }

    public override async Task<int> DeleteAsync(IReadOnlyCollection<string> serverItemIds, CancellationToken ct)
    {
        var removed = 0;
        foreach (var chunk in Chunks(serverItemIds))
        {
            removed += await Db.Episodes.Where(e => chunk.Contains(e.ServerItemId)).ExecuteDeleteAsync(ct);
        }
        return removed;
    }
}
