using Aperture.Auth;
using Aperture.Catalog;
using Aperture.Data;
using Aperture.MediaServers;

namespace Aperture.Api;

public static class LibrariesApi
{
    public sealed record LibraryResponse(string Id, string Name, string Kind, string CollectionType, IReadOnlyList<string> Locations,
        bool Enabled, bool PresentOnServer, DateTimeOffset LastSeenAt, int TitleCount)
    {
        public static LibraryResponse From(LibraryView l) => new(l.Id, l.Name, l.Kind.Slug(), l.Kind.CollectionType(), l.Locations,
            l.Enabled, l.PresentOnServer, l.LastSeenAt, l.TitleCount);
    }

    public sealed record LibraryPatch(bool? Enabled);

    public sealed record RefreshResponse(int Added, int Updated, int Gone, IReadOnlyList<LibraryResponse> Libraries);

    public static void MapLibrariesApi(this RouteGroupBuilder api)
    {
        var libraries = api.MapGroup("/settings/libraries").RequireAuthorization(ClaimsPrincipalExtensions.AdminPolicy);

        libraries.MapGet("", async (LibraryService service, CancellationToken ct) =>
            Results.Ok((await service.ListAsync(ct)).Select(LibraryResponse.From)));

        libraries.MapPost("/sync", async (LibraryService service, CancellationToken ct) =>
        {
            try
            {
                var result = await service.RefreshAsync(ct);
                return Results.Ok(new RefreshResponse(result.Added, result.Updated, result.Gone, [.. (await service.ListAsync(ct)).Select(LibraryResponse.From)]));
            }
            catch (MediaServerException e)
            {
                return Results.Problem(statusCode: e.Kind == MediaServerErrorKind.NotConfigured ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status502BadGateway,
                    title: "The libraries could not be read from the media server.", detail: e.Message);
            }
        });

        libraries.MapPatch("/{id}", async (string id, HttpRequest request, LibraryService service, CancellationToken ct) =>
        {
            var (patch, error) = await ApiJson.ReadAsync<LibraryPatch>(request, ct);
            if (error is not null)
            {
                return error;
            }
            if (patch!.Enabled is not { } enabled)
            {
                return ApiJson.Invalid("enabled", "Send \"enabled\": true or false.");
            }
            var library = await service.SetEnabledAsync(id, enabled, ct);
            return library is null
                ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"There is no library '{id}'; refresh the list from the server.")
                : Results.Ok(LibraryResponse.From(library));
        });
    }
}
