using Aperture.MediaServers;

namespace Aperture.Catalog;

// Which image of which title, at which version: what a feature hands out for a poster or backdrop. Features never build
// links; the HTTP edge turns this into one (ImageEndpoint.Url for pages, TitleImageJson for the API), so the image route
// is written in one place. Properties of this type carry [JsonPropertyName("...Url")] because the API has always named
// them after the link they become. Tag null names whatever image the title has now (the browser then revalidates).
public sealed record TitleImage(long TitleId, ServerImageType Type, string? Tag)
{
    // A title without a tag has no such image on the server: nothing to link to.
    public static TitleImage? Of(long titleId, ServerImageType type, string? tag) => tag is null ? null : new(titleId, type, tag);
}
