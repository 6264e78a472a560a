using System.Globalization;
using Aperture.Catalog;
using Aperture.Data;
using Aperture.MediaServers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Aperture.Progress;
using Aperture.Wording;

namespace Aperture.History;

public sealed record HistorySyncResult(MediaKind Kind, bool Full, int Users, int FullUsers, int Added, int Updated, int Removed, int Skipped, TimeSpan Elapsed)
{
    public string Summary =>
        $"{(Full ? "Full" : "Delta")} {Kind.Slug()} watch-history sync of {Plural.Count(Users, "user")} ({FullUsers} reconciled in full): "
        + $"{Added} added, {Updated} updated, {Removed} removed, {Skipped} skipped (not in the synced catalogue) "
        + $"in {Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s";
}

// Watch history per user and kind, read with the admin API key on behalf of each user (the key has no user of its own,
// and items carry UserData only when a userId is given). There is no all-users endpoint: a handful of queries per user.
//
// Delta: what the user played since the watermark (DatePlayed, newest first, stopping at the watermark), plus their
// favourites and what they are part-way through. Un-plays and un-favourites never show in those lists, so the full
// reconcile (the full job, a user's first sync, or once Sync:FullHistoryEveryDays has passed) also reads back every
// stored row the lists no longer return, and updates or drops it. Each user is written in one transaction with their
// watermark, so a failure or cancellation leaves every user either before or after their sync, never half-way.
public sealed class HistorySync(AppDbContext db, MediaServerSettings settings, ServerUserSync users, CatalogLookup catalog,
    IOptions<SyncOptions> options, TimeProvider time, ILogger<HistorySync> logger)
{
    private const int IdsPerRequest = 100;

    // A delta usually stops on its first page: it asks for little.
    private const int DeltaFirstPage = 20;

    private sealed record HistoryQuery(string Name, ItemsQuery Query, bool StopsAtWatermark);

    private readonly record struct UserCounts(int Added, int Updated, int Removed, int Skipped);

    private sealed record UserPlan(ServerUser User, bool Full, HistorySyncState? State);

    public async Task<HistorySyncResult> RunAsync(MediaKind kind, bool forceFull, IJobProgress progress, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var client = await settings.GetClientAsync(ct);
        progress.Stage("Reading users from the media server");
        UserSyncResult synced;
        try
        {
            synced = await users.SyncAsync(client, ct);
        }
        catch (MediaServerException e)
        {
            throw SyncFailedException.While("reading the server's users", e);
        }

        var refs = await catalog.LoadAsync(kind, ct);
        var states = await db.HistorySyncStates.AsNoTracking().Where(s => s.Kind == kind).ToDictionaryAsync(s => s.UserId, ct);
        var every = options.Value.FullHistoryEveryDays;
        var now = time.GetUtcNow();
        int added = 0, updated = 0, removed = 0, skipped = 0, fullUsers = 0, vanished = 0;

        progress.Stage($"Syncing the {kind.Slug()} watch history of {Plural.Count(synced.Active.Count, "user")}", synced.Active.Count);
        var plans = synced.Active.Select(user =>
        {
            var state = states.GetValueOrDefault(user.Id);
            var full = forceFull || state?.LastFullSyncAt is not { } last || (every > 0 && now - last > TimeSpan.FromDays(every));
            return new UserPlan(user, full, state);
        }).ToList();
        // The next user's lists are read from the server while this user's rows are written.
        Task<Dictionary<string, BaseItemDto>>? next = plans.Count > 0 ? ReadListsAsync(client, kind, plans[0], ct) : null;
        try
        {
            for (var i = 0; i < plans.Count; i++)
            {
                var current = next!;
                next = i + 1 < plans.Count ? ReadListsAsync(client, kind, plans[i + 1], ct) : null;
                UserCounts c;
                try
                {
                    c = await ApplyAsync(client, kind, plans[i], await current, refs, ct);
                }
                catch (SyncFailedException e) when (e.InnerException is MediaServerException { StatusCode: 404 })
                {
                    // Deleted on the server after the user list was read: their items and history now answer 404. That is
                    // not a failure of the run; anything else answering 404 still is.
                    db.ChangeTracker.Clear();
                    if (!await VanishedAsync(client, plans[i].User, ct))
                    {
                        throw;
                    }
                    progress.Log($"User '{plans[i].User.Name}' was deleted on the media server during the sync (their items answer 404): "
                        + "skipped; their stored history is kept as for any deleted user until an admin purges it.", JobLogLevel.Warning);
                    logger.LogWarning("User {User} ({UserId}) was deleted on the media server during the {Kind} history sync: skipped",
                        plans[i].User.Name, plans[i].User.Id, kind.Slug());
                    vanished++;
                    progress.Count("users gone", 1);
                    progress.Advance(1, plans[i].User.Name);
                    continue;
                }
                added += c.Added;
                updated += c.Updated;
                removed += c.Removed;
                skipped += c.Skipped;
                fullUsers += plans[i].Full ? 1 : 0;
                Count(progress, "added", c.Added);
                Count(progress, "updated", c.Updated);
                Count(progress, "removed", c.Removed);
                Count(progress, "skipped", c.Skipped);
                progress.Advance(1, plans[i].User.Name);
            }
        }
        finally
        {
            // Lists read ahead for a user this run will not reach (a failure or cancellation before): of no interest.
            next?.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        var result = new HistorySyncResult(kind, forceFull, synced.Active.Count - vanished, fullUsers, added, updated, removed, skipped, time.GetElapsedTime(started));
        logger.LogInformation("{Summary}", result.Summary);
        return result;
    }

    // Whether the user is gone from the server's user list now. The list is synced again, so a deleted user is recorded as
    // one (not present on the server, sessions ended at their next request) exactly as the next sync would.
    private async Task<bool> VanishedAsync(MediaServerClient client, ServerUser user, CancellationToken ct)
    {
        UserSyncResult again;
        try
        {
            again = await users.SyncAsync(client, ct);
        }
        catch (MediaServerException e)
        {
            throw SyncFailedException.While($"reading the server's users again after user '{user.Name}' answered 404", e);
        }
        return !again.Active.Any(u => u.Id == user.Id);
    }

    // The server's lists for one user; touches no database, so it can run while another user's rows are written.
    private async Task<Dictionary<string, BaseItemDto>> ReadListsAsync(MediaServerClient client, MediaKind kind, UserPlan plan, CancellationToken ct)
    {
        var (user, full, state) = plan;
        var size = options.Value.ListingPageSize;
        var seen = new Dictionary<string, BaseItemDto>(StringComparer.OrdinalIgnoreCase);
        foreach (var q in Queries(kind, full))
        {
            var query = q.Query with { UserId = user.Id, Fields = client.UserDataFields, EnableUserData = true, EnableImages = false };
            var stopAt = !full && q.StopsAtWatermark ? state?.Watermark : null;
            await ServerPaging.ForEachPageAsync(client, query, stopAt is null ? size : DeltaFirstPage, size, $"reading the {q.Name} of user '{user.Name}'", page =>
            {
                foreach (var item in page.Items.Where(i => !string.IsNullOrEmpty(i.Id)))
                {
                    // Newest first: the first one played before the watermark ends the delta (undated ones sort last).
                    if (stopAt is { } w && (CatalogMapping.Instant(item.UserData?.LastPlayedDate) is not { } played || played < w))
                    {
                        return Task.FromResult(false);
                    }
                    seen[item.Id] = item;
                }
                return Task.FromResult(true);
            }, ct, prefetch: stopAt is null);
        }
        return seen;
    }

    private async Task<UserCounts> ApplyAsync(MediaServerClient client, MediaKind kind, UserPlan plan, Dictionary<string, BaseItemDto> seen,
        Dictionary<string, CatalogRef> refs, CancellationToken ct)
    {
        var (user, full, state) = plan;
        var existing = full
            ? await db.WatchStates.Where(w => w.UserId == user.Id && w.Title.Kind == kind).ToDictionaryAsync(w => w.ServerItemId, StringComparer.OrdinalIgnoreCase, ct)
            : await ExistingAsync(user.Id, [.. seen.Keys], ct);
        if (full)
        {
            // What the lists no longer return was un-played, un-favourited or finished: read its current state back.
            var leftovers = existing.Keys.Where(id => !seen.ContainsKey(id)).ToList();
            foreach (var chunk in leftovers.Chunk(IdsPerRequest))
            {
                ItemPage page;
                try
                {
                    var query = new ItemsQuery { UserId = user.Id, Ids = chunk, Fields = client.UserDataFields, EnableUserData = true, EnableImages = false };
                    page = await client.GetItemsAsync(query, 0, chunk.Length, ct);
                }
                catch (MediaServerException e)
                {
                    throw SyncFailedException.While($"re-reading {chunk.Length} stored {kind.Slug()} history rows of user '{user.Name}'", e);
                }
                foreach (var item in page.Items.Where(i => !string.IsNullOrEmpty(i.Id)))
                {
                    seen.TryAdd(item.Id, item);
                }
            }
        }

        var now = time.GetUtcNow();
        int added = 0, updated = 0, removed = 0, skipped = 0;
        var fresh = new List<WatchState>();
        DateTimeOffset? watermark = state?.Watermark;
        foreach (var (id, item) in seen)
        {
            var data = WatchData.From(item, kind);
            // The watermark follows the played list itself, catalogue or not, so the next delta stops where this one read.
            if (data.Played && data.LastPlayedAt is { } played && (watermark is null || played > watermark))
            {
                watermark = played;
            }
            if (!refs.TryGetValue(id, out var target))
            {
                skipped++;
                continue;
            }
            existing.TryGetValue(id, out var row);
            if (!data.HasSignal)
            {
                if (row is not null)
                {
                    db.WatchStates.Remove(row);
                    removed++;
                }
                continue;
            }
            if (row is null)
            {
                row = new WatchState { UserId = user.Id, ServerItemId = id, TitleId = target.TitleId, EpisodeId = target.EpisodeId, SyncedAt = now };
                data.ApplyTo(row);
                fresh.Add(row);
                added++;
            }
            else if (data.ApplyTo(row) | row.TitleId != target.TitleId | row.EpisodeId != target.EpisodeId)
            {
                row.TitleId = target.TitleId;
                row.EpisodeId = target.EpisodeId;
                row.SyncedAt = now;
                updated++;
            }
        }

        if (state is null)
        {
            state = new HistorySyncState { UserId = user.Id, Kind = kind };
            db.HistorySyncStates.Add(state);
        }
        else
        {
            db.HistorySyncStates.Attach(state);
        }
        state.Watermark = watermark;
        if (full)
        {
            state.LastFullSyncAt = now;
        }
        else
        {
            state.LastDeltaSyncAt = now;
        }
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await BulkInsert.InsertAsync(db, fresh, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        db.ChangeTracker.Clear();
        return new UserCounts(added, updated, removed, skipped);
    }

    private async Task<Dictionary<string, WatchState>> ExistingAsync(string userId, List<string> ids, CancellationToken ct)
    {
        var rows = new Dictionary<string, WatchState>(StringComparer.OrdinalIgnoreCase);
        foreach (var chunk in ids.Chunk(500))
        {
            foreach (var row in await db.WatchStates.Where(w => w.UserId == userId && chunk.Contains(w.ServerItemId)).ToListAsync(ct))
            {
                rows[row.ServerItemId] = row;
            }
        }
        return rows;
    }

    // The lists read per user. The played item is the movie itself, or a series' episodes; where the title is not what is
    // played (a series), its own favourite and rating are read too, and a full run lists every title of the kind, since no
    // filter finds every rated one and a server has far fewer series than episodes.
    private static IEnumerable<HistoryQuery> Queries(MediaKind kind, bool full)
    {
        var title = kind.ServerItemType();
        var played = PlayedItemType(kind);
        IReadOnlyList<string> playedTypes = [played];
        IReadOnlyList<string> favouriteTypes = title == played ? [title] : [title, played];
        yield return new("played " + kind.Slug(),
            new ItemsQuery { IncludeItemTypes = playedTypes, IsPlayed = true, SortBy = [ItemSortBy.DatePlayed], Descending = true }, true);
        yield return new("favourite " + kind.Slug(),
            new ItemsQuery { IncludeItemTypes = favouriteTypes, IsFavorite = true, SortBy = [ItemSortBy.DateCreated, ItemSortBy.SortName] }, false);
        yield return new("part-watched " + kind.Slug(),
            new ItemsQuery { IncludeItemTypes = playedTypes, Filters = "IsResumable", SortBy = [ItemSortBy.DatePlayed], Descending = true }, false);
        if (full && title != played)
        {
            yield return new(kind.Slug() + " ratings",
                new ItemsQuery { IncludeItemTypes = [title], SortBy = [ItemSortBy.DateCreated, ItemSortBy.SortName] }, false);
        }
    }

    internal static string PlayedItemType(MediaKind kind) => kind == MediaKind.Movie ? "Movie" : "Episode";

    private static void Count(IJobProgress progress, string name, int n)
    {
        if (n > 0)
        {
            progress.Count(name, n);
        }
    }

    // UserData as stored. A title that is not itself played (a series) keeps only its favourite and rating: its played
    // state is its episodes'.
    private readonly record struct WatchData(bool Played, int PlayCount, DateTimeOffset? LastPlayedAt, bool IsFavorite, double? Rating, double? PlayedPercentage)
    {
        public bool HasSignal => Played || PlayCount > 0 || IsFavorite || Rating is not null || PlayedPercentage is > 0;

        public static WatchData From(BaseItemDto item, MediaKind kind)
        {
            var u = item.UserData;
            var playable = string.Equals(item.Type, PlayedItemType(kind), StringComparison.OrdinalIgnoreCase);
            return playable
                ? new(u?.Played ?? false, u?.PlayCount ?? 0, CatalogMapping.Instant(u?.LastPlayedDate), u?.IsFavorite ?? false, u?.Rating, u?.PlayedPercentage)
                : new(false, 0, null, u?.IsFavorite ?? false, u?.Rating, null);
        }

        public bool ApplyTo(WatchState row)
        {
            var changed = row.Played != Played || row.PlayCount != PlayCount || row.LastPlayedAt != LastPlayedAt || row.IsFavorite != IsFavorite
                || row.Rating != Rating || row.PlayedPercentage != PlayedPercentage;
            row.Played = Played;
            row.PlayCount = PlayCount;
            row.LastPlayedAt = LastPlayedAt;
            row.IsFavorite = IsFavorite;
            row.Rating = Rating;
            row.PlayedPercentage = PlayedPercentage;
            return changed;
        }
    }
}
