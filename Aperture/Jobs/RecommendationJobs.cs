using Aperture.Recommendations;
using Aperture.Data;
using Microsoft.EntityFrameworkCore;
using Aperture.Progress;
using Aperture.Wording;

namespace Aperture.Jobs;

// generate-recommendations and generate-series-recommendations: one implementation, the kind from the definition.
public sealed class GenerateRecommendationsJob(RecommendationService recommendations) : IJob
{
    public async Task RunAsync(JobContext context, CancellationToken ct)
    {
        var kind = context.Definition.Kind ?? MediaKind.Movie;
        var result = await recommendations.GenerateAsync(kind, context.Progress, context.RunId, ct);
        context.Progress.Log(Summary(kind, result));
    }

    public static string Summary(MediaKind kind, RecommendationRunResult r) =>
        $"{r.Picks} {(kind == MediaKind.Movie ? "movie" : "series")} {Plural.Word(r.Picks, "pick")} for {r.WithPicks} of {r.Users} enabled {Plural.Word(r.Users, "user")}" +
        (r.UsedCollaborative ? ", with the co-watch signal" : ", without the co-watch signal") +
        (r.Cleared > 0 ? $"; {Plural.Count(r.Cleared, "pick")} of users no longer enabled removed" : "");
}

// rebuild-recommendations: forgets the run history and every user's taste synopsis, then builds both
// kinds from scratch. Each user's list is still swapped atomically, so a rebuild that fails halfway
// leaves the users it did not reach with their previous picks rather than none.
public sealed class RebuildRecommendationsJob(RecommendationService recommendations, AppDbContext db) : IJob
{
    public async Task RunAsync(JobContext context, CancellationToken ct)
    {
        context.Progress.Stage("Clearing run history and taste synopses");
        var current = db.Picks.Select(p => p.RunId).Distinct();
        var runs = await db.RecommendationRuns.Where(r => !current.Contains(r.Id)).ExecuteDeleteAsync(ct);
        var synopses = await db.TasteProfiles.ExecuteDeleteAsync(ct);
        context.Progress.Log($"Cleared {runs} earlier runs and {synopses} taste synopses.");
        foreach (var kind in Enum.GetValues<MediaKind>())
        {
            try
            {
                var result = await recommendations.GenerateAsync(kind, context.Progress, context.RunId, ct);
                context.Progress.Log(GenerateRecommendationsJob.Summary(kind, result));
            }
            catch (RecommendationsUnavailableException e)
            {
                // A server with movies and no shows has no series vectors: that kind is skipped, not the rebuild.
                context.Progress.Log(e.Message, JobLogLevel.Warning);
            }
        }
        // The lists the rebuild replaced leave the history too: what remains is this rebuild's runs.
        var live = db.Picks.Select(p => p.RunId).Distinct();
        await db.RecommendationRuns.Where(r => r.JobRunId != context.RunId && !live.Contains(r.Id)).ExecuteDeleteAsync(ct);
    }
}
