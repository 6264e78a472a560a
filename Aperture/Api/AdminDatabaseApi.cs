using Aperture.Auth;
using Aperture.Data;
using Aperture.Catalog;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aperture.Api;

// GET /api/admin/purge/stats; POST /api/admin/purge/{movies|series} with {"confirm":"purge movies"}.
public static class AdminDatabaseApi
{
    public sealed record PurgeRequest(string? Confirm);

    public sealed record StatsResponse(string Provider, long? SizeBytes, IReadOnlyDictionary<string, long> Counts);

    public sealed record PurgeResponse(string Kind, PurgeCounts Deleted);

    public static void MapAdminDatabaseApi(this RouteGroupBuilder api)
    {
        var purge = api.MapGroup("/admin/purge").RequireAuthorization(ClaimsPrincipalExtensions.AdminPolicy);
        purge.MapGet("/stats", StatsAsync);
        foreach (var kind in Enum.GetValues<MediaKind>())
        {
            purge.MapPost("/" + kind.Slug(), PurgeAsync).WithMetadata(new RouteKind(kind));
        }
    }

    public static async Task<Ok<StatsResponse>> StatsAsync(DatabaseMaintenance maintenance, CancellationToken ct)
    {
        var stats = await maintenance.StatsAsync(ct);
        return TypedResults.Ok(new StatsResponse(stats.Provider, stats.SizeBytes, stats.Counts.ToDictionary(c => c.Key, c => c.Rows)));
    }

    public static async Task<Results<Ok<PurgeResponse>, ProblemHttpResult>> PurgeAsync(RouteKind route, HttpRequest request, CatalogPurge purger,
        CancellationToken ct)
    {
        var (body, error) = await ApiJson.ReadAsync<PurgeRequest>(request, ct);
        if (error is not null)
        {
            return error;
        }
        var kind = route.Kind;
        var outcome = await purger.PurgeAsync(kind, body!.Confirm, ct);
        return outcome.Status switch
        {
            PurgeStatus.WrongConfirmation => ApiJson.Invalid("confirm",
                $"To purge all {kind.Slug()} data, send \"confirm\": \"{CatalogPurge.Confirmation(kind)}\"."),
            PurgeStatus.JobRunning => ApiProblems.Conflict($"The job {outcome.RunningJob} is queued or running; purge once it has finished."),
            _ => TypedResults.Ok(new PurgeResponse(kind.Slug(), outcome.Deleted!)),
        };
    }
}
