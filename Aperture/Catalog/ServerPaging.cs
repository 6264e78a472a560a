using Aperture.MediaServers;

namespace Aperture.Catalog;

// Pages through an /Items query for the sync jobs: firstPage items first (a delta that usually stops on page one asks
// for little), then pageSize at a time, until TotalRecordCount is reached or a page comes back empty. A server failure
// becomes a SyncFailedException naming the page.
public static class ServerPaging
{
    // onPage returns false to stop early (a delta that reached its watermark). prefetch asks for the next page while
    // onPage writes this one, so the server and the database work at the same time; a query that may stop early does
    // not prefetch, so it never asks for a page it will not read.
    public static async Task ForEachPageAsync(MediaServerClient client, ItemsQuery query, int firstPage, int pageSize, string what,
        Func<ItemPage, Task<bool>> onPage, CancellationToken ct, bool prefetch = false)
    {
        var number = 0;
        int? pages = null;
        var start = 0;
        Task<ItemPage>? next = client.GetItemsAsync(query, 0, firstPage, ct);
        try
        {
            while (next is not null)
            {
                ItemPage page;
                try
                {
                    page = await next;
                }
                catch (MediaServerException e)
                {
                    throw SyncFailedException.While($"{what} (page {number + 1}{(pages is { } n ? $" of {n}" : "")})", e);
                }
                next = null;
                ct.ThrowIfCancellationRequested();
                number++;
                pages = PageCount(page.TotalRecordCount, firstPage, pageSize);
                start += page.Items.Count;
                var more = page.Items.Count > 0 && start < page.TotalRecordCount;
                if (more && prefetch)
                {
                    next = client.GetItemsAsync(query, start, pageSize, ct);
                }
                if (!await onPage(page))
                {
                    return;
                }
                if (more && next is null)
                {
                    ct.ThrowIfCancellationRequested();
                    next = client.GetItemsAsync(query, start, pageSize, ct);
                }
            }
        }
        finally
        {
            // A prefetched page nobody will read (onPage failed or was cancelled): its outcome is of no interest.
            next?.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    public static int PageCount(int total, int firstPage, int pageSize) =>
        total <= firstPage ? 1 : 1 + (total - firstPage + pageSize - 1) / pageSize;
}
