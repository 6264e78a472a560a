using Aperture.Catalog;
using Aperture.Data;
using Aperture.Fakes;
using Aperture.History;

namespace Aperture.Tests.Infrastructure;

// Copies a fake server's users, libraries, movies, series, episodes and user data into the database the
// way the sync would, so that pages and images can be tested against items the fake really serves.
// Not the sync: only enough of it to give the readers realistic rows.
public static class FakeImport
{
    private const long TicksPerMinute = 600_000_000;

    // Fake item id → title or episode id.
    public static Task<Dictionary<string, long>> ImportAsync(AppFactory app, FakeMediaServer server) => app.WithDbAsync(async db =>
    {
        var state = server.State;
        var now = DateTimeOffset.UtcNow;
        foreach (var user in state.Users.Where(u => !db.Users.Any(x => x.Id == u.Id)))
        {
            db.Users.Add(new AppUser { Id = user.Id, Name = user.Name, IsAdmin = user.IsAdministrator, CreatedAt = now });
        }
        foreach (var library in state.Libraries)
        {
            if (MediaKinds.FromCollectionType(library.CollectionType) is { } kind)
            {
                db.Libraries.Add(new Library { Id = library.ItemId, Guid = library.Guid, Name = library.Name, Kind = kind, Locations = library.Locations, Enabled = true, LastSeenAt = now });
            }
        }

        var titles = new Dictionary<string, Title>();
        var episodes = new Dictionary<string, Episode>();
        foreach (var item in state.Items.Where(i => i.Type is FakeItemType.Movie or FakeItemType.Series))
        {
            var title = new Title
            {
                Kind = item.Type == FakeItemType.Movie ? MediaKind.Movie : MediaKind.Series,
                ServerItemId = item.Id,
                LibraryId = item.LibraryId!,
                Name = item.Name,
                OriginalTitle = item.OriginalTitle,
                SortName = item.SortName,
                Year = item.ProductionYear,
                PremiereDate = item.PremiereDate is { } p ? DateOnly.FromDateTime(p.UtcDateTime) : null,
                Overview = item.Overview,
                Taglines = [.. item.Taglines],
                Genres = [.. item.Genres],
                Tags = [.. item.Tags],
                Studios = [.. item.Studios],
                People = [.. item.People.Select(x => new TitlePerson { Name = x.Name, Type = x.Type, Role = x.Role })],
                CommunityRating = item.CommunityRating,
                CriticRating = item.CriticRating,
                OfficialRating = item.OfficialRating,
                RuntimeMinutes = item.RunTimeTicks is { } ticks ? (int)(ticks / TicksPerMinute) : null,
                ImdbId = item.ProviderIds.GetValueOrDefault("Imdb"),
                TmdbId = item.ProviderIds.GetValueOrDefault("Tmdb"),
                TvdbId = item.ProviderIds.GetValueOrDefault("Tvdb"),
                PrimaryImageTag = item.PrimaryImageTag,
                BackdropImageTag = item.BackdropImageTag,
                Status = item.Status,
                DateCreated = item.DateCreated,
                SyncedAt = now,
            };
            if (item.Type == FakeItemType.Series)
            {
                foreach (var e in state.EpisodesOf(item))
                {
                    var episode = new Episode
                    {
                        ServerItemId = e.Id, SeasonNumber = e.ParentIndexNumber, EpisodeNumber = e.IndexNumber, Name = e.Name, Overview = e.Overview,
                        RuntimeMinutes = e.RunTimeTicks is { } t ? (int)(t / TicksPerMinute) : null, PrimaryImageTag = e.PrimaryImageTag, SyncedAt = now,
                    };
                    title.Episodes.Add(episode);
                    episodes[e.Id] = episode;
                }
                title.EpisodeCount = title.Episodes.Count;
            }
            titles[item.Id] = title;
            db.Titles.Add(title);
        }
        await db.SaveChangesAsync();

        foreach (var user in state.Users)
        {
            foreach (var item in state.Items)
            {
                if (state.GetUserData(user, item) is not { } data || (!data.Played && !data.IsFavorite && data.LastPlayedDate is null && data.Rating is null))
                {
                    continue;
                }
                var episode = episodes.GetValueOrDefault(item.Id);
                var title = episode?.Series ?? titles.GetValueOrDefault(item.Id);
                if (title is null)
                {
                    continue;
                }
                db.WatchStates.Add(new WatchState
                {
                    UserId = user.Id, TitleId = title.Id, EpisodeId = episode?.Id, ServerItemId = item.Id, Played = data.Played, PlayCount = data.PlayCount,
                    LastPlayedAt = data.LastPlayedDate, IsFavorite = data.IsFavorite, Rating = data.Rating, PlayedPercentage = data.PlayedPercentage, SyncedAt = now,
                });
            }
        }
        await db.SaveChangesAsync();
        return titles.ToDictionary(t => t.Key, t => t.Value.Id).Concat(episodes.ToDictionary(e => e.Key, e => e.Value.Id)).ToDictionary();
    });
}
