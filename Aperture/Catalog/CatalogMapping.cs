using Aperture.MediaServers;
using Aperture.Data;

namespace Aperture.Catalog;

// From the server's BaseItemDto to the stored rows. Apply returns whether anything changed, so that a run over an
// unchanged library writes nothing and counts nothing as updated.
internal static class CatalogMapping
{
    private const double TicksPerMinute = 600_000_000;

    public static bool Apply(Title t, BaseItemDto i, string libraryId)
    {
        var c = new Changes();
        t.LibraryId = c.Set(t.LibraryId, libraryId);
        t.Name = c.Set(t.Name, Clip(i.Name, 512) ?? "(untitled)");
        t.OriginalTitle = c.Set(t.OriginalTitle, Clip(i.OriginalTitle, 512));
        t.SortName = c.Set(t.SortName, Clip(i.SortName, 512));
        t.Year = c.Set(t.Year, i.ProductionYear);
        t.PremiereDate = c.Set(t.PremiereDate, Day(i.PremiereDate));
        t.EndDate = c.Set(t.EndDate, Day(i.EndDate));
        t.Overview = c.Set(t.Overview, i.Overview);
        t.Taglines = c.SetList(t.Taglines, i.Taglines);
        t.Genres = c.SetList(t.Genres, i.Genres);
        t.Tags = c.SetList(t.Tags, i.Tags);
        t.Studios = c.SetList(t.Studios, i.Studios?.Select(s => s.Name).OfType<string>());
        t.People = c.SetPeople(t.People, i.People);
        t.CommunityRating = c.Set(t.CommunityRating, i.CommunityRating);
        t.CriticRating = c.Set(t.CriticRating, i.CriticRating);
        t.OfficialRating = c.Set(t.OfficialRating, i.OfficialRating);
        t.RuntimeMinutes = c.Set(t.RuntimeMinutes, Minutes(i.RunTimeTicks));
        t.ImdbId = c.Set(t.ImdbId, Provider(i, "Imdb"));
        t.TmdbId = c.Set(t.TmdbId, Provider(i, "Tmdb"));
        t.TvdbId = c.Set(t.TvdbId, Provider(i, "Tvdb"));
        t.PrimaryImageTag = c.Set(t.PrimaryImageTag, PrimaryImage(i));
        t.BackdropImageTag = c.Set(t.BackdropImageTag, i.BackdropImageTags is [var backdrop, ..] ? backdrop : null);
        t.Status = c.Set(t.Status, i.Status);
        t.Path = c.Set(t.Path, i.Path);
        t.DateCreated = c.Set(t.DateCreated, Instant(i.DateCreated));
        return c.Changed;
    }

    public static bool Apply(Episode e, BaseItemDto i, long seriesId)
    {
        var c = new Changes();
        e.SeriesId = c.Set(e.SeriesId, seriesId);
        // Either number may be missing (specials, unscanned files): stored as unknown, never guessed.
        e.SeasonNumber = c.Set(e.SeasonNumber, i.ParentIndexNumber);
        e.EpisodeNumber = c.Set(e.EpisodeNumber, i.IndexNumber);
        e.Name = c.Set(e.Name, Clip(i.Name, 512) ?? "(untitled)");
        e.Overview = c.Set(e.Overview, i.Overview);
        e.RuntimeMinutes = c.Set(e.RuntimeMinutes, Minutes(i.RunTimeTicks));
        e.PremiereDate = c.Set(e.PremiereDate, Day(i.PremiereDate));
        e.PrimaryImageTag = c.Set(e.PrimaryImageTag, PrimaryImage(i));
        return c.Changed;
    }

    // UTC, whole milliseconds: what both databases store exactly (SQLite's converter keeps 0.1 ms, PostgreSQL 1 µs),
    // so a value read back compares equal to the one the server sends again.
    public static DateTimeOffset? Instant(DateTimeOffset? value) => value is { } v
        ? new DateTimeOffset(v.UtcTicks - v.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero)
        : null;

    private static DateOnly? Day(DateTimeOffset? value) => value is { } v ? DateOnly.FromDateTime(v.UtcDateTime) : null;

    private static int? Minutes(long? ticks) => ticks is > 0 ? (int)Math.Round(ticks.Value / TicksPerMinute) : null;

    private static string? PrimaryImage(BaseItemDto i) => Find(i.ImageTags, "Primary");

    private static string? Provider(BaseItemDto i, string name) => Find(i.ProviderIds, name) is { Length: > 0 } id ? id : null;

    // The first entry whose key matches regardless of case (servers differ in the case of provider names).
    private static string? Find(IReadOnlyDictionary<string, string?>? map, string key)
    {
        if (map is null)
        {
            return null;
        }
        foreach (var (name, value) in map)
        {
            if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        return null;
    }

    private static string? Clip(string? value, int max) => value is null ? null : value.Length > max ? value[..max] : value;

    private sealed class Changes
    {
        public bool Changed { get; private set; }

        public T Set<T>(T current, T value)
        {
            if (EqualityComparer<T>.Default.Equals(current, value))
            {
                return current;
            }
            Changed = true;
            return value;
        }

        public List<string> SetList(List<string> current, IEnumerable<string>? value)
        {
            var next = value?.Where(v => !string.IsNullOrWhiteSpace(v)).ToList() ?? [];
            if (current.SequenceEqual(next))
            {
                return current;
            }
            Changed = true;
            return next;
        }

        public List<TitlePerson> SetPeople(List<TitlePerson> current, IEnumerable<PersonDto>? value)
        {
            var next = value?.Where(p => !string.IsNullOrWhiteSpace(p.Name))
                .Select(p => new TitlePerson { Name = p.Name!, Role = p.Role, Type = p.Type ?? "Unknown" }).ToList() ?? [];
            if (current.Count == next.Count && current.Zip(next).All(p => p.First.Name == p.Second.Name && p.First.Role == p.Second.Role && p.First.Type == p.Second.Type))
            {
                return current;
            }
            Changed = true;
            return next;
        }
    }
}
