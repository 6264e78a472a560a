using Aperture.Data;

namespace Aperture.Api;

// The kind of a route mapped once per kind (/api/movies and /api/series): put on the endpoints as metadata where they are
// mapped and bound as a handler parameter, so each handler is one named method for both kinds.
public sealed record RouteKind(MediaKind Kind)
{
    public static ValueTask<RouteKind?> BindAsync(HttpContext http) =>
        ValueTask.FromResult(http.GetEndpoint()?.Metadata.GetMetadata<RouteKind>());
}
