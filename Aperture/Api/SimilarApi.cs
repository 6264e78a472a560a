using Aperture.Data;
using Aperture.Embeddings;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aperture.Api;

// GET /api/{movies|series}/{id}/similar: the titles nearest to one, mapped once per kind.
public static class SimilarApi
{
    public static void MapSimilarApi(this RouteGroupBuilder api)
    {
        foreach (var kind in Enum.GetValues<MediaKind>())
        {
            api.MapGet($"/{kind.Slug()}/{{id:long}}/similar", GetAsync).WithMetadata(new RouteKind(kind));
        }
    }

    public static async Task<Results<Ok<IReadOnlyList<SimilarTitle>>, ProblemHttpResult>> GetAsync(long id, int? k, RouteKind route,
        SimilarTitles similar, CancellationToken ct)
    {
        if (k is < 1 or > 100)
        {
            return ApiJson.Invalid("k", "k must be between 1 and 100.");
        }
        return await similar.ForAsync(route.Kind, id, k ?? 12, ct) is { } titles
            ? TypedResults.Ok(titles)
            : ApiProblems.NotFound($"No {route.Kind.Slug()} title {id}.");
    }
}
