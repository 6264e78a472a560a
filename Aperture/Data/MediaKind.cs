namespace Aperture.Data;

// Movies and series go through one pipeline, parameterised by this.
public enum MediaKind { Movie = 1, Series = 2 }

public static class MediaKindExtensions
{
    public static string Slug(this MediaKind kind) => kind == MediaKind.Movie ? "movies" : "series";

    public static string ServerItemType(this MediaKind kind) => kind == MediaKind.Movie ? "Movie" : "Series";

    public static string CollectionType(this MediaKind kind) => kind == MediaKind.Movie ? "movies" : "tvshows";

    public static MediaKind? FromCollectionType(string? collectionType) => collectionType?.ToLowerInvariant() switch
    {
        "movies" => MediaKind.Movie,
        "tvshows" => MediaKind.Series,
        _ => null,
    };
}
