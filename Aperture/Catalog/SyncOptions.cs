namespace Aperture.Catalog;

// Sync:PageSize items with every field per request to the media server; Sync:ListingPageSize items per request where
// only ids, save dates or user data are read (the listings that find removals, and watch history).
// Sync:FullEvery*Days: a delta run turns into a full one when the last full run is older (0 = only when asked).
public sealed class SyncOptions
{
    public const string Section = "Sync";

    public int PageSize { get; set; } = 500;
    public int ListingPageSize { get; set; } = 5000;
    public int FullCatalogEveryDays { get; set; } = 7;
    public int FullHistoryEveryDays { get; set; } = 7;
}
