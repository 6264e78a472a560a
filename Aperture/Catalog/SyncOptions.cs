namespace Aperture.Catalog;

// Sync:PageSize items per request to the media server; id-only listings ask for four times that.
// Sync:FullEvery*Days: a delta run turns into a full one when the last full run is older (0 = only when asked).
public sealed class SyncOptions
{
    public const string Section = "Sync";

    public int PageSize { get; set; } = 500;
    public int FullCatalogEveryDays { get; set; } = 7;
    public int FullHistoryEveryDays { get; set; } = 7;

    public int ListingPageSize => PageSize * 4;
}
