using System.Globalization;
using Aperture.Data;
using Aperture.Embeddings;

namespace Aperture.Bench;

// ../shared/data/movielens-small, read in place (its terms forbid copying it into the repo).
internal sealed record MovieLensRating(int UserId, int MovieId, double Rating, long Timestamp);

internal sealed class MovieLens
{
    public required IReadOnlyList<TitleDocument> Items { get; init; }
    public required Dictionary<int, TitleDocument> ById { get; init; }
    public required IReadOnlyList<MovieLensRating> Ratings { get; init; }
    // TMDB's vote average (0–10) and vote count: what a media server shows as the community rating.
    public required Dictionary<int, (double Average, int Votes)> Community { get; init; }

    public static string? FindFolder()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data", "movielens-small");
                if (File.Exists(Path.Combine(candidate, "items.csv")))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    public static MovieLens Load(string folder)
    {
        var items = new List<TitleDocument>();
        var community = new Dictionary<int, (double, int)>();
        foreach (var r in Csv.ReadRecords(Path.Combine(folder, "items.csv")))
        {
            if (double.TryParse(r["vote_average"], CultureInfo.InvariantCulture, out var average)
                && int.TryParse(r["vote_count"], CultureInfo.InvariantCulture, out var votes))
            {
                community[int.Parse(r["movieId"], CultureInfo.InvariantCulture)] = (average, votes);
            }
            items.Add(new TitleDocument(
                r["movieId"], MediaKind.Movie, r["title"],
                int.TryParse(r["year"], CultureInfo.InvariantCulture, out var year) ? year : null,
                Split(r["genres"]).Where(g => g != "(no genres listed)").ToList(),
                Split(r["keywords"]),
                Split(r["director"]),
                Split(r["cast_top5"]),
                [],
                null,
                r["overview"],
                Split(r["tagline"])));
        }
        var ratings = Csv.ReadRecords(Path.Combine(folder, "ml-latest-small", "ratings.csv"))
            .Select(r => new MovieLensRating(
                int.Parse(r["userId"], CultureInfo.InvariantCulture),
                int.Parse(r["movieId"], CultureInfo.InvariantCulture),
                double.Parse(r["rating"], CultureInfo.InvariantCulture),
                long.Parse(r["timestamp"], CultureInfo.InvariantCulture)))
            .ToList();
        return new MovieLens
        {
            Items = items,
            ById = items.ToDictionary(i => int.Parse(i.Key, CultureInfo.InvariantCulture)),
            Ratings = ratings,
            Community = community,
        };
    }

    private static List<string> Split(string value) =>
        value.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
