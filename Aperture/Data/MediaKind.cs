namespace Aperture.Data;

// Movies and series go through one pipeline, parameterised by this.
public enum MediaKind { Movie = 1, Series = 2 }

// A set of kinds stored in one column: the bit of a kind is 1 << (kind - 1).
[Flags]
public enum MediaKindSet { None = 0, Movie = 1, Series = 2 }

// The one vocabulary for kinds. Every route, query string, form and JSON body parses with MediaKinds.Parse;
// Slug is the route and form form ("movies", "series"), Word the JSON form ("movie", "series").
public static class MediaKinds
{
    public static readonly IReadOnlyList<MediaKind> All = Enum.GetValues<MediaKind>();

    // Case-insensitive. The slug and the word of each kind, plus the names people and media servers use for them.
    private static readonly Dictionary<string, MediaKind> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["movies"] = MediaKind.Movie,
        ["movie"] = MediaKind.Movie,
        ["films"] = MediaKind.Movie,
        ["film"] = MediaKind.Movie,
        ["series"] = MediaKind.Series,
        ["shows"] = MediaKind.Series,
        ["show"] = MediaKind.Series,
        ["tv"] = MediaKind.Series,
        ["tvshows"] = MediaKind.Series,
    };

    public static IEnumerable<string> AcceptedWords => Words.Keys;

    // "movies, movie, films, film, series, shows, show, tv or tvshows", for error messages.
    public static string AcceptedList => string.Join(", ", Words.Keys.SkipLast(1)) + " or " + Words.Keys.Last();

    public static string NotAKind(string? text) => $"'{text}' is not a kind: use {AcceptedList}.";

    public static MediaKind? Parse(string? text) =>
        text is not null && Words.TryGetValue(text.Trim(), out var kind) ? kind : null;

    public static MediaKindSet Bit(this MediaKind kind) => (MediaKindSet)(1 << ((int)kind - 1));

    public static bool Contains(this MediaKindSet set, MediaKind kind) => (set & kind.Bit()) != 0;

    public static MediaKindSet With(this MediaKindSet set, MediaKind kind, bool present) => present ? set | kind.Bit() : set & ~kind.Bit();

    public static string Slug(this MediaKind kind) => kind == MediaKind.Movie ? "movies" : "series";

    // "movie" / "series" in JSON: stable words rather than enum numbers.
    public static string Word(this MediaKind kind) => kind == MediaKind.Movie ? "movie" : "series";

    public static string Noun(this MediaKind kind, int count) => kind == MediaKind.Movie
        ? (count == 1 ? "movie" : "movies")
        : "series";

    public static string Title(this MediaKind kind) => kind == MediaKind.Movie ? "Movies" : "Series";

    public static string ServerItemType(this MediaKind kind) => kind == MediaKind.Movie ? "Movie" : "Series";

    public static string CollectionType(this MediaKind kind) => kind == MediaKind.Movie ? "movies" : "tvshows";

    public static MediaKind? FromCollectionType(string? collectionType) => collectionType?.ToLowerInvariant() switch
    {
        "movies" => MediaKind.Movie,
        "tvshows" => MediaKind.Series,
        _ => null,
    };
}
