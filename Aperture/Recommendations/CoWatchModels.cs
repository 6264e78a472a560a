using System.Collections.Concurrent;
using Aperture.Data;

namespace Aperture.Recommendations;

// The co-watch model of each kind for requests ("More like this", a movie night), built once per state of what it is built
// from: the catalogue and the finished job runs (CatalogVersion's catalogue stamp; watch history is written only by jobs, so
// a history sync that changes rows in place, without adding any, gives a new state when it finishes), and the settings it
// reads. Building reads every user's history, which a request should not pay each time. A picks run builds its own from the
// rows it read, so that its lists and their evidence come from one snapshot.
public sealed class CoWatchModels(CatalogVersion version)
{
    private sealed record Key(CatalogVersion.Stamp Stamp, bool UseCollaborative, double? DislikeAtOrBelow, int MinUsers);

    private readonly ConcurrentDictionary<MediaKind, (Key Key, ItemCooccurrence? Model)> cache = new();

    public async Task<ItemCooccurrence?> ForAsync(AppDbContext db, KindRecommendationSettings settings, MediaKind kind, CancellationToken ct)
    {
        // The stamp first: a write racing the build leaves the model under the older stamp, so the next request rebuilds.
        var key = new Key((await version.CurrentAsync(db, ct)).CatalogOnly, settings.UseCollaborative, settings.DislikeAtOrBelow,
            settings.MinCollaborativeUsers);
        if (cache.TryGetValue(kind, out var hit) && hit.Key == key)
        {
            return hit.Model;
        }
        var model = RecommendationInputs.Cooccurrence(await RecommendationInputs.HistoriesAsync(db, kind, ct), settings);
        cache[kind] = (key, model);
        return model;
    }
}
