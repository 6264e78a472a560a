using Aperture.Data;
using Aperture.MediaServers;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Catalog;

// An episode's library is its series' library.
internal readonly record struct StoredItem(string LibraryId);

internal readonly record struct UpsertCounts(int Added, int Updated, int Skipped);

// One level of the catalogue as the sync walks it: the titles of a kind (movies or series), then, for series, their
// episodes. The sync is the same for every level; only the rows differ.
internal abstract class CatalogLevel
{
    public abstract string ItemType { get; }
    public abstract string Noun { get; }

    // "" for titles, "episodes " for episodes: the job's counters read "added", "episodes added", ...
    public abstract string CountPrefix { get; }

    // What the level holds at the start of the run. The level keeps the ids: a page none of whose items is among them (nor
    // among the rows this run added) needs no lookup of existing rows.
    public abstract Task<Dictionary<string, StoredItem>> LoadStoredAsync(CancellationToken ct);

    public abstract Task<UpsertCounts> UpsertAsync(IReadOnlyList<BaseItemDto> items, string libraryId, DateTimeOffset now, CancellationToken ct);

    public abstract Task<int> DeleteAsync(IReadOnlyCollection<string> serverItemIds, CancellationToken ct);
}

// The rows of a level, keyed by the server's item id (a column named ServerItemId).
internal abstract class CatalogLevel<TRow>(AppDbContext db) : CatalogLevel where TRow : class
{
    private const int DeleteChunk = 500;

    private Dictionary<string, StoredItem>? stored;
    private readonly HashSet<string> addedThisRun = new(StringComparer.OrdinalIgnoreCase);

    protected AppDbContext Db => db;

    public sealed override async Task<Dictionary<string, StoredItem>> LoadStoredAsync(CancellationToken ct) =>
        stored = await ReadStoredAsync(ct);

    protected abstract Task<Dictionary<string, StoredItem>> ReadStoredAsync(CancellationToken ct);

    protected abstract IQueryable<TRow> Rows { get; }

    protected abstract string ServerItemId(TRow row);

    // Loads what Accepts and Apply need, once per page.
    protected virtual Task PrepareAsync(CancellationToken ct) => Task.CompletedTask;

    // False for an item this level cannot store (counted as skipped).
    protected virtual bool Accepts(BaseItemDto item) => true;

    protected abstract TRow Create(BaseItemDto item, string libraryId, DateTimeOffset now);

    // Whether anything changed.
    protected abstract bool Apply(TRow row, BaseItemDto item, string libraryId);

    protected abstract void MarkSynced(TRow row, DateTimeOffset now);

    // One page, one transaction: the page's existing rows are loaded in one query, new rows go in bulk, changed rows
    // through EF.
    public override async Task<UpsertCounts> UpsertAsync(IReadOnlyList<BaseItemDto> items, string libraryId, DateTimeOffset now, CancellationToken ct)
    {
        await PrepareAsync(ct);
        var existing = MayExist(items)
            ? await FindExistingAsync(items, ct)
            : new Dictionary<string, TRow>(StringComparer.OrdinalIgnoreCase);
        var fresh = new List<TRow>();
        int added = 0, updated = 0, skipped = 0;
        foreach (var item in items)
        {
            if (!string.Equals(item.Type, ItemType, StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(item.Id) || !Accepts(item))
            {
                skipped++;
                continue;
            }
            if (existing.TryGetValue(item.Id, out var row))
            {
                if (Apply(row, item, libraryId))
                {
                    MarkSynced(row, now);
                    updated++;
                }
                continue;
            }
            row = Create(item, libraryId, now);
            Apply(row, item, libraryId);
            existing[item.Id] = row;
            fresh.Add(row);
            added++;
        }
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await BulkInsert.InsertAsync(db, fresh, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        db.ChangeTracker.Clear();
        addedThisRun.UnionWith(fresh.Select(ServerItemId));
        return new UpsertCounts(added, updated, skipped);
    }

    // Whether a row of the page's items may exist: unknown before LoadStoredAsync; otherwise only for items stored at the
    // start of the run or added by it since (an item that moved between two pages comes twice). A new library's pages, and
    // every page of a first sync, skip the lookup: one query per page, and on a process's first sync the compilation of a
    // tracked query of whole rows that would find nothing. Runs that change the same kind's data go one at a time (their
    // shared data lock); should another instance sharing the database add a row meanwhile, the unique index fails this
    // page whole and the next run reads it again.
    private bool MayExist(IReadOnlyList<BaseItemDto> items) =>
        stored is null || items.Any(i => !string.IsNullOrEmpty(i.Id) && (stored.ContainsKey(i.Id) || addedThisRun.Contains(i.Id)));

    private async Task<Dictionary<string, TRow>> FindExistingAsync(IReadOnlyList<BaseItemDto> items, CancellationToken ct)
    {
        var ids = items.Select(i => i.Id).ToList();
        // One collection parameter (json_each / = ANY), not EF 10's default of one parameter per id: SQLite's driver binds
        // parameters by name, and a page's 500 names cost a search each.
        return await Rows.Where(r => EF.Parameter(ids).Contains(EF.Property<string>(r, nameof(Title.ServerItemId))))
            .ToDictionaryAsync(ServerItemId, StringComparer.OrdinalIgnoreCase, ct);
    }

    public override async Task<int> DeleteAsync(IReadOnlyCollection<string> serverItemIds, CancellationToken ct)
    {
        var removed = 0;
        foreach (var chunk in serverItemIds.Chunk(DeleteChunk).Select(c => c.ToList()))
        {
            // What hangs off a row (a title's episodes, watch states) goes with it: ON DELETE CASCADE.
            removed += await Rows.Where(r => chunk.Contains(EF.Property<string>(r, nameof(Title.ServerItemId)))).ExecuteDeleteAsync(ct);
        }
        return removed;
    }
}

internal sealed class TitleLevel(AppDbContext db, MediaKind kind) : CatalogLevel<Title>(db)
{
    public override string ItemType => kind.ServerItemType();
    public override string Noun => kind.Slug();
    public override string CountPrefix => "";
    protected override IQueryable<Title> Rows => Db.Titles.Where(t => t.Kind == kind);

    protected override async Task<Dictionary<string, StoredItem>> ReadStoredAsync(CancellationToken ct) =>
        await Rows.AsNoTracking()
            .Select(t => new { t.ServerItemId, t.LibraryId })
            .ToDictionaryAsync(t => t.ServerItemId, t => new StoredItem(t.LibraryId), StringComparer.OrdinalIgnoreCase, ct);

    public async Task<int> DeleteOutsideAsync(IReadOnlyCollection<string> activeLibraryIds, CancellationToken ct) =>
        await Rows.Where(t => !activeLibraryIds.Contains(t.LibraryId)).ExecuteDeleteAsync(ct);

    // Counted from the synced episodes, so the number agrees with what Aperture holds.
    public async Task UpdateEpisodeCountsAsync(CancellationToken ct) =>
        await Rows.ExecuteUpdateAsync(s => s.SetProperty(t => t.EpisodeCount, t => t.Episodes.Count()), ct);

    protected override string ServerItemId(Title row) => row.ServerItemId;

    protected override Title Create(BaseItemDto item, string libraryId, DateTimeOffset now) =>
        new() { Kind = kind, ServerItemId = item.Id, LibraryId = libraryId, Name = "", SyncedAt = now };

    protected override bool Apply(Title row, BaseItemDto item, string libraryId) => CatalogMapping.Apply(row, item, libraryId);

    protected override void MarkSynced(Title row, DateTimeOffset now) => row.SyncedAt = now;
}

internal sealed class EpisodeLevel(AppDbContext db) : CatalogLevel<Episode>(db)
{
    private Dictionary<string, long>? seriesIds;

    public override string ItemType => "Episode";
    public override string Noun => "episodes";
    public override string CountPrefix => "episodes ";
    protected override IQueryable<Episode> Rows => Db.Episodes;

    protected override async Task<Dictionary<string, StoredItem>> ReadStoredAsync(CancellationToken ct) =>
        await Rows.AsNoTracking()
            .Select(e => new { e.ServerItemId, e.Series.LibraryId })
            .ToDictionaryAsync(e => e.ServerItemId, e => new StoredItem(e.LibraryId), StringComparer.OrdinalIgnoreCase, ct);

    // The series were synced just before: their ids are loaded once, not per episode.
    protected override async Task PrepareAsync(CancellationToken ct) =>
        seriesIds ??= await Db.Titles.AsNoTracking().Where(t => t.Kind == MediaKind.Series)
            .Select(t => new { t.ServerItemId, t.Id })
            .ToDictionaryAsync(t => t.ServerItemId, t => t.Id, StringComparer.OrdinalIgnoreCase, ct);

    // An episode whose series is not synced (added after the series were listed) waits for the next run.
    protected override bool Accepts(BaseItemDto item) => item.SeriesId is { } id && seriesIds!.ContainsKey(id);

    protected override string ServerItemId(Episode row) => row.ServerItemId;

    protected override Episode Create(BaseItemDto item, string libraryId, DateTimeOffset now) =>
        new() { ServerItemId = item.Id, Name = "", SyncedAt = now };

    protected override bool Apply(Episode row, BaseItemDto item, string libraryId) => CatalogMapping.Apply(row, item, seriesIds![item.SeriesId!]);

    protected override void MarkSynced(Episode row, DateTimeOffset now) => row.SyncedAt = now;
}
