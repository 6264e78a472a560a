using System.Text.Json;

namespace Aperture.Fakes.Wire;

internal sealed class FieldSet(Dialect dialect, IEnumerable<string> requested, bool all = false)
{
    private readonly HashSet<string> asked = new(requested, StringComparer.OrdinalIgnoreCase);

    // Unknown names in Fields are silently dropped by both servers, which a set lookup does by itself.
    public bool Has(string field) => all || dialect.AlwaysHas(field) || asked.Contains(field);

    public bool Asked(string field) => all || asked.Contains(field);
}

// How an item is to be shown: which fields, for which user (null: no UserData at all), with images or not.
internal sealed record ItemView(FieldSet Fields, FakeUser? User, bool UserData = true, bool Images = true);

// A row of a result: playlists give each entry its own PlaylistItemId, and an item may appear twice.
internal readonly record struct ItemRow(FakeItem Item, string? PlaylistItemId = null);

// One BaseItemDto writer for both servers; the dialect decides ids, which fields need asking for, and user-data gating.
internal sealed class ItemWriter(FakeState state)
{
    private Dialect Dialect => state.Dialect;

    public void Write(Utf8JsonWriter w, ItemRow row, ItemView view)
    {
        var item = row.Item;
        var f = view.Fields;
        w.WriteStartObject();
        w.WriteString("Name", item.Name);
        w.WriteString("ServerId", state.ServerId);
        w.WriteString("Id", item.Id);
        w.Opt("PlaylistItemId", row.PlaylistItemId);
        Field(w, f, "DateCreated", (DateTimeOffset?)item.DateCreated);
        Field(w, f, "OriginalTitle", item.OriginalTitle);
        Field(w, f, "SortName", item.SortName);
        Field(w, f, "Path", item.Path);
        if (f.Has("MediaSources") && item.IsVideo)
        {
            WriteMediaSources(w, item);
        }
        if (f.Has("Taglines"))
        {
            w.Strings("Taglines", item.Taglines);
        }
        if (f.Has("Genres"))
        {
            w.Strings("Genres", item.Genres);
        }
        WriteMetadata(w, item, f);
        w.Opt("IndexNumber", item.IndexNumber);
        w.Opt("ParentIndexNumber", item.ParentIndexNumber);
        w.WriteBoolean("IsFolder", item.IsFolder);
        Field(w, f, "ParentId", item.ParentId);
        w.WriteString("Type", item.Type.ToString());
        if (f.Has("People"))
        {
            WritePeople(w, item);
        }
        if (f.Has("Studios"))
        {
            WriteNameRefs(w, "Studios", "Studio", item.Studios);
        }
        if (f.Has("Genres"))
        {
            WriteNameRefs(w, "GenreItems", "Genre", item.Genres);
        }
        if (f.Has("ProviderIds"))
        {
            w.WriteStartObject("ProviderIds");
            foreach (var (provider, id) in item.ProviderIds)
            {
                w.WriteString(provider, id);
            }
            w.WriteEndObject();
        }
        if (f.Has("Tags"))
        {
            w.Strings("Tags", item.Tags);
        }
        w.Opt("SeriesName", item.SeriesName);
        w.Opt("SeriesId", item.SeriesId);
        w.Opt("SeasonId", item.SeasonId);
        w.Opt("SeasonName", item.SeasonName);
        if (view.User is { } user && view.UserData)
        {
            WriteUserData(w, item, user, f);
        }
        WriteCounts(w, item, f);
        Field(w, f, "Status", item.Status);
        if (view.Images)
        {
            WriteImageTags(w, item);
        }
        if (item.IsVideo || item.Playlist is not null)
        {
            w.WriteString("MediaType", item.Playlist?.MediaType ?? "Video");
        }
        w.WriteString("LocationType", "FileSystem");
        w.WriteEndObject();
    }

    // A library as a user sees it in /Users/{id}/Views.
    public void WriteView(Utf8JsonWriter w, FakeLibrary library)
    {
        w.WriteStartObject();
        w.WriteString("Name", library.Name);
        w.WriteString("ServerId", state.ServerId);
        w.WriteString("Id", library.ItemId);
        w.WriteBoolean("IsFolder", true);
        w.WriteString("Type", "CollectionFolder");
        w.Opt("CollectionType", library.CollectionType);
        w.WriteStartObject("ImageTags");
        w.WriteEndObject();
        w.WriteStartArray("BackdropImageTags");
        w.WriteEndArray();
        w.WriteString("LocationType", "FileSystem");
        w.WriteEndObject();
    }

    private static void WriteMetadata(Utf8JsonWriter w, FakeItem item, FieldSet f)
    {
        Field(w, f, "CommunityRating", item.CommunityRating);
        Field(w, f, "CriticRating", item.CriticRating);
        Field(w, f, "OfficialRating", item.OfficialRating);
        Field(w, f, "Overview", item.Overview);
        Field(w, f, "ProductionYear", item.ProductionYear);
        Field(w, f, "PremiereDate", item.PremiereDate);
        Field(w, f, "EndDate", item.EndDate);
        Field(w, f, "RunTimeTicks", item.RunTimeTicks);
    }

    private static void Field(Utf8JsonWriter w, FieldSet f, string name, string? value)
    {
        if (f.Has(name))
        {
            w.Opt(name, value);
        }
    }

    private static void Field<T>(Utf8JsonWriter w, FieldSet f, string name, T? value)
        where T : struct
    {
        if (f.Has(name))
        {
            w.Opt(name, value);
        }
    }

    private void WriteMediaSources(Utf8JsonWriter w, FakeItem item)
    {
        w.WriteStartArray("MediaSources");
        w.WriteStartObject();
        w.WriteString("Protocol", "File");
        w.WriteString("Id", Dialect.MediaSourceId(item));
        w.Opt("Path", item.Path);
        w.WriteString("Type", "Default");
        w.WriteString("Container", item.Container);
        w.WriteString("Name", item.Name);
        w.WriteBoolean("IsRemote", false);
        w.Opt("RunTimeTicks", item.RunTimeTicks);
        w.WriteBoolean("SupportsTranscoding", true);
        w.WriteBoolean("SupportsDirectStream", true);
        w.WriteBoolean("SupportsDirectPlay", true);
        w.WriteStartArray("MediaStreams");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private void WritePeople(Utf8JsonWriter w, FakeItem item)
    {
        w.WriteStartArray("People");
        foreach (var person in item.People)
        {
            w.WriteStartObject();
            w.WriteString("Name", person.Name);
            w.WriteString("Id", Dialect.PersonId(person.Name));
            w.Opt("Role", person.Role);
            w.WriteString("Type", person.Type);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private void WriteNameRefs(Utf8JsonWriter w, string property, string kind, IEnumerable<string> names)
    {
        w.WriteStartArray(property);
        foreach (var name in names)
        {
            w.WriteStartObject();
            w.WriteString("Name", name);
            Dialect.WriteNameRefId(w, kind, name);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    // Emby 4.8 leaves PlayCount at 0 and drops LastPlayedDate unless Fields names UserDataPlayCount/UserDataLastPlayedDate.
    private void WriteUserData(Utf8JsonWriter w, FakeItem item, FakeUser user, FieldSet f)
    {
        var data = state.UserDataOrNull(user, item) ?? new FakeUserData();
        var gated = Dialect.GatesUserDataFields;
        w.WriteStartObject("UserData");
        w.Opt("Rating", data.Rating);
        if (!data.Played)
        {
            w.Opt("PlayedPercentage", data.PlayedPercentage);
        }
        if (item.Type is FakeItemType.Series or FakeItemType.Season)
        {
            w.WriteNumber("UnplayedItemCount", state.Descendants(item).Count(e => e.Type == FakeItemType.Episode && state.UserDataOrNull(user, e) is not { Played: true }));
        }
        w.WriteNumber("PlaybackPositionTicks", data.PlaybackPositionTicks);
        w.WriteNumber("PlayCount", gated && !f.Asked("UserDataPlayCount") ? 0 : data.PlayCount);
        w.WriteBoolean("IsFavorite", data.IsFavorite);
        if (!gated || f.Asked("UserDataLastPlayedDate"))
        {
            w.Opt("LastPlayedDate", data.LastPlayedDate);
        }
        w.WriteBoolean("Played", data.Played);
        w.WriteString("Key", item.Id);
        w.WriteString("ItemId", item.Id);
        w.WriteEndObject();
    }

    private void WriteCounts(Utf8JsonWriter w, FakeItem item, FieldSet f)
    {
        if (!item.IsFolder)
        {
            return;
        }
        if (f.Has("ChildCount"))
        {
            w.WriteNumber("ChildCount", item.LinkedItems.Count > 0 ? item.LinkedItems.Count : state.Children(item.Id).Count());
        }
        if (f.Has("RecursiveItemCount"))
        {
            w.WriteNumber("RecursiveItemCount", item.LinkedItems.Count > 0 ? item.LinkedItems.Count : state.Descendants(item).Count(d => d.IsVideo));
        }
    }

    private static void WriteImageTags(Utf8JsonWriter w, FakeItem item)
    {
        w.WriteStartObject("ImageTags");
        w.Opt("Primary", item.PrimaryImageTag);
        w.WriteEndObject();
        w.WriteStartArray("BackdropImageTags");
        if (item.BackdropImageTag is { } backdrop)
        {
            w.WriteStringValue(backdrop);
        }
        w.WriteEndArray();
    }
}
