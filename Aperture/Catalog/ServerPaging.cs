using Aperture.MediaServers;

namespace Aperture.Catalog;

// Pages through an /Items query for the sync jobs; a server failure becomes a SyncFailedException naming the page.
public static class ServerPaging
{
    // onPage returns false to stop early (a delta that reached its watermark).
    public static async Task ForEachPageAsync(MediaServerClient client, ItemsQuery query, int firstPage, int pageSize, string what,
        Func<ItemPage, Task<bool>> onPage, CancellationToken ct)
    {
        var number = 0;
        int? pages = null;
        try
        {
            await foreach (var page in client.GetItemPagesAsync(query, firstPage, pageSize, ct))
            {
                number++;
                pages = PageCount(page.TotalRecordCount, firstPage, pageSize);
                if (!await onPage(page))
                {
                    return;
                }
            }
        }
        catch (MediaServerException e)
        {
            throw SyncFailedException.While($"{what} (page {number + 1}{(pages is { } n ? $" of {n}" : "")})", e);
        }
    }

    public static int PageCount(int total, int firstPage, int pageSize) =>
        total <= firstPage ? 1 : 1 + (total - firstPage + pageSize - 1) / pageSize;
}
