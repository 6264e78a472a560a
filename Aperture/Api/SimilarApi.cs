using Aperture.Data;
using Aperture.Embeddings;

namespace Aperture.Api;

public static class SimilarApi
{
    public static void MapSimilarApi(this RouteGroupBuilder api)
    {
        foreach (var kind in Enum.GetValues<MediaKind>())
        {
            api.MapGet($"/{kind.Slug()}/{{id:long}}/similar", async (long id, int? k, SimilarTitles similar, CancellationToken ct) =>
            {
                if (k is < 1 or > 100)
                {
                    return ApiJson.Invalid("k", "k must be between 1 and 100.");
                }
                var titles = await similar.ForAsync(kind, id, k ?? 12, ct);
                return titles is null ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No {kind.Slug()} title {id}.") : Results.Ok(titles);
            });
        }
    }
}
