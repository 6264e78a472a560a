using Aperture.Data;

namespace Aperture.Recommendations;

// The co-watch model of each kind for requests ("More like this", a movie night), kept in the CatalogMemo: built once per
// catalogue state (catalogue writes and finished job runs; watch history is written only by jobs, so a history sync that
// changes rows in place, without adding any, gives a new state when it finishes) and per value of the settings it reads.
// Building reads every user's history, which a request should not pay each time; concurrent requests wait for one build.
// A picks run builds its own from the rows it read, so that its lists and their evidence come from one snapshot.
public sealed class CoWatchModels(CatalogMemo memo)
{
    public Task<ItemCooccurrence?> ForAsync(AppDbContext db, KindRecommendationSettings settings, MediaKind kind, CancellationToken ct) =>
        memo.GetAsync(db,
            FormattableString.Invariant($"cowatch:{(int)kind}:{settings.UseCollaborative}:{settings.DislikeAtOrBelow}:{settings.MinCollaborativeUsers}"),
            async c => RecommendationInputs.Cooccurrence(await RecommendationInputs.HistoriesAsync(db, kind, c), settings), ct);
}
