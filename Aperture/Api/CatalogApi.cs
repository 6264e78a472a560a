using System.Security.Claims;
using Aperture.Auth;
using Aperture.Browse;
using Aperture.Data;
using Aperture.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aperture.Api;

// GET /api/movies, /api/movies/genres, /api/movies/{id}, and the same under /api/series: one set of
// handlers mapped once per kind.
public static class CatalogApi
{
    public static void MapCatalogApi(this RouteGroupBuilder api)
    {
        foreach (var kind in Enum.GetValues<MediaKind>())
        {
            var group = api.MapGroup("/" + kind.Slug()).WithMetadata(new RouteKind(kind));
            group.MapGet("", SearchAsync);
            group.MapGet("/genres", GenresAsync);
            group.MapGet("/{id:long}", GetAsync);
        }
    }

    public static async Task<Results<Ok<BrowsePage>, ProblemHttpResult>> SearchAsync(RouteKind route, HttpRequest request, ClaimsPrincipal user,
        CatalogBrowser browser, CancellationToken ct)
    {
        var (query, errors) = BrowseQueryParser.Parse(request.Query);
        return errors.Count > 0
            ? ApiJson.Invalid(errors)
            : TypedResults.Ok(await browser.SearchAsync(route.Kind, query, user.UserId(), ct));
    }

    public static async Task<Ok<IReadOnlyList<GenreCount>>> GenresAsync(RouteKind route, CatalogBrowser browser, CancellationToken ct) =>
        TypedResults.Ok(await browser.GenresAsync(route.Kind, ct));

    public static async Task<Results<Ok<TitleDetails>, ProblemHttpResult>> GetAsync(long id, RouteKind route, ClaimsPrincipal user,
        CatalogBrowser browser, CancellationToken ct) =>
        await browser.GetAsync(route.Kind, id, user.UserId(), ct) is { } title
            ? TypedResults.Ok(title)
            : ApiProblems.NotFound($"There is no {route.Kind.Word()} with id {id}.");
}
