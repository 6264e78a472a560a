using Aperture.Auth;
using Aperture.Catalog;
using Aperture.Data;
using Microsoft.AspNetCore.Http.HttpResults;

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
        libraries.MapGet("", ListAsync);
        // A server that cannot be read is a 502/503 from ApiProblems.
        libraries.MapPost("/sync", SyncAsync);
        libraries.MapPatch("/{id}", PatchAsync);
    }

    public static async Task<Ok<LibraryResponse[]>> ListAsync(LibraryService service, CancellationToken ct) =>
        TypedResults.Ok((await service.ListAsync(ct)).Select(LibraryResponse.From).ToArray());

    public static async Task<Ok<RefreshResponse>> SyncAsync(LibraryService service, CancellationToken ct)
    {
        var result = await service.RefreshAsync(ct);
        return TypedResults.Ok(new RefreshResponse(result.Added, result.Updated, result.Gone, [.. (await service.ListAsync(ct)).Select(LibraryResponse.From)]));
    }

    public static async Task<Results<Ok<LibraryResponse>, ProblemHttpResult>> PatchAsync(string id, HttpRequest request, LibraryService service,
        CancellationToken ct)
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
        return await service.SetEnabledAsync(id, enabled, ct) is { } library
            ? TypedResults.Ok(LibraryResponse.From(library))
            : ApiProblems.NotFound($"There is no library '{id}'; refresh the list from the server.");
    }
}
