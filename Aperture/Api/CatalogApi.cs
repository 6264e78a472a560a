using Aperture.Auth;
using Aperture.Browse;
using Aperture.Data;
using Aperture.Web;

namespace Aperture.Api;

// GET /api/movies, /api/movies/genres, /api/movies/{id}, and the same under /api/series: one set of
// handlers mapped once per kind.
public static class CatalogApi
{
    public static void MapCatalogApi(this RouteGroupBuilder api)
    {
        foreach (var kind in Enum.GetValues<MediaKind>())
        {
            var group = api.MapGroup("/" + kind.Slug());

            group.MapGet("", async (HttpContext http, CatalogBrowser browser, CancellationToken ct) =>
            {
                var (query, errors) = BrowseQueryParser.Parse(http.Request.Query);
                return errors.Count > 0
                    ? ApiJson.Invalid(errors)
                    : Results.Ok(await browser.SearchAsync(kind, query, http.User.UserId(), ct));
            });

            group.MapGet("/genres", async (CatalogBrowser browser, CancellationToken ct) =>
                Results.Ok(await browser.GenresAsync(kind, ct)));

            group.MapGet("/{id:long}", async (long id, HttpContext http, CatalogBrowser browser, CancellationToken ct) =>
                await browser.GetAsync(kind, id, http.User.UserId(), ct) is { } title
                    ? Results.Ok(title)
                    : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"There is no {kind.Word()} with id {id}."));
        }
    }
}
