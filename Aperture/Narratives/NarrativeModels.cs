using Aperture.Data;

namespace Aperture.Narratives;

// Why a watched title pulled a pick in: what the user did with it.
// Liked: a 👍 or a high rating given in Aperture itself (My Picks, a title page).
public enum EvidenceReason { Favorite, HighlyRated, Watched, Rewatched, Liked }

public sealed record EvidenceTitle(string Title, int? Year, EvidenceReason Reason, double Similarity);

// One pick as the recommender saw it. Components are 0..1; Collaborative = "people with similar viewing watched it".
public sealed record PickStory(MediaKind Kind, string Title, int? Year, IReadOnlyList<string> Genres, IReadOnlyList<string> MatchedGenres,
    int MatchPercent, double Similarity, double Novelty, double Rating, double Popularity, double Collaborative, double? CommunityRating,
    IReadOnlyList<EvidenceTitle> Evidence, string? Overview, IReadOnlyList<string>? MoreGenres = null, IReadOnlyList<string>? LessGenres = null);

public sealed record GenreShare(string Genre, double Share);

// A user's viewing of one kind, summed up. Shares are of watched titles (a title may count for several genres).
public sealed record TasteStory(MediaKind Kind, string UserName, int WatchedCount, IReadOnlyList<GenreShare> TopGenres,
    IReadOnlyList<string> Favorites, IReadOnlyList<string> Recent, IReadOnlyList<string> TopPeople, int? MedianYear, double? AverageOwnRating);

// Source is "local" (the built-in writer) or "llm:<model>".
public sealed record Narrative(string Text, string Source)
{
    public const string LocalSource = "local";

    public static string LlmSource(string model) => "llm:" + model;
}

public sealed record ChannelTitle(string Title, int? Year, IReadOnlyList<string> Genres);

// A generated channel as the description writer sees it: what the owner asked for and what came out, in rank order.
public sealed record ChannelStory(string Name, IReadOnlyList<MediaKind> Kinds, string? Preference, IReadOnlyList<string> Examples,
    IReadOnlyList<string> IncludeGenres, IReadOnlyList<string> ExcludeGenres, IReadOnlyList<ChannelTitle> Titles);
