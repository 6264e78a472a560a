using Aperture.Data;

namespace Aperture.Pages.Shared;

// The Movies | Series tabs of a page: only the kinds the server has (LibraryService.KindsAsync), each linking to
// Path + slug + Query ("/picks/" + "series" + "?user=…").
public sealed record KindTabs(IReadOnlyList<MediaKind> Kinds, MediaKind Current, string Path, string Query = "")
{
    public string Href(MediaKind kind) => Path + kind.Slug() + Query;
}
