using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aperture.MediaServers;

// A library as /Library/VirtualFolders lists it. Jellyfin has only ItemId; Emby adds Id and Guid.
public sealed record VirtualFolderDto(
    string? Name,
    string? CollectionType,
    IReadOnlyList<string>? Locations,
    [property: JsonConverter(typeof(FlexibleStringConverter))] string? ItemId,
    [property: JsonConverter(typeof(FlexibleStringConverter))] string? Id,
    string? Guid)
{
    // The whole options object as the server sent it: updates replace it, so they start from this.
    public System.Text.Json.Nodes.JsonObject? LibraryOptions { get; init; }

    // What /Items?ParentId=, /Items/{id}/Refresh and LibraryOptions take on both servers.
    public string? LibraryId => string.IsNullOrEmpty(ItemId) ? Id : ItemId;
}

public sealed record PersonDto(string? Name, string? Role, string? Type);

// Studios and GenreItems: {Name, Id}; the Id is a GUID string on Jellyfin and a number on Emby, so only Name is read.
public sealed record NameRefDto(string? Name);

public sealed record UserItemDataDto(
    double? Rating,
    double? PlayedPercentage,
    long? PlaybackPositionTicks,
    int? PlayCount,
    bool? IsFavorite,
    DateTimeOffset? LastPlayedDate,
    bool? Played);

// BaseItemDto with the fields the sync reads. Item ids are 32-hex GUIDs on Jellyfin and numeric strings on Emby.
public sealed record BaseItemDto(
    [property: JsonConverter(typeof(FlexibleStringConverter))] string Id,
    string? Name,
    string? Type,
    string? OriginalTitle,
    string? SortName,
    int? ProductionYear,
    DateTimeOffset? PremiereDate,
    DateTimeOffset? EndDate,
    DateTimeOffset? DateCreated,
    string? Overview,
    IReadOnlyList<string>? Taglines,
    IReadOnlyList<string>? Genres,
    IReadOnlyList<string>? Tags,
    IReadOnlyList<PersonDto>? People,
    IReadOnlyList<NameRefDto>? Studios,
    double? CommunityRating,
    double? CriticRating,
    string? OfficialRating,
    long? RunTimeTicks,
    IReadOnlyDictionary<string, string?>? ProviderIds,
    IReadOnlyDictionary<string, string?>? ImageTags,
    IReadOnlyList<string>? BackdropImageTags,
    string? Status,
    string? Path,
    [property: JsonConverter(typeof(FlexibleStringConverter))] string? SeriesId,
    int? ParentIndexNumber,
    int? IndexNumber,
    UserItemDataDto? UserData);

public sealed record ItemPage(IReadOnlyList<BaseItemDto> Items, int TotalRecordCount, int StartIndex);

// Ids are strings on the wire, but a number is read as one too rather than failing a whole page.
internal sealed class FlexibleStringConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"Expected an id (string or number), got {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
