using System.Collections.Concurrent;
using Aperture.Data;
using Aperture.MediaServers;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Browse;

public sealed record TitleImages(string ServerItemId, string? PrimaryTag, string? BackdropTag);

// Which server item and image tags a title has, and where its cached images are, remembered for a short while so that a
// grid of posters does not cost a database query and a probe of the image cache per poster. Singleton, per instance.
// A title's tags change only when the catalogue sync sees a new image; an address naming a tag this index does not hold
// reads the database again at once, so the bound below only delays the revalidation of tag-less addresses.
public sealed class PosterIndex(IServiceScopeFactory scopes, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    // Beyond this many titles the index starts over (a catalogue browsed end to end must not grow it without bound).
    private const int MaxEntries = 50_000;

    private readonly ConcurrentDictionary<long, (TitleImages? Images, long ExpiresTicks)> titles = new();
    private readonly ConcurrentDictionary<(long, ServerImageType), (string Tag, ImageAnswer Answer)> files = new();

    private static readonly Func<AppDbContext, long, CancellationToken, Task<TitleImages?>> Find =
        EF.CompileAsyncQuery((AppDbContext db, long id, CancellationToken _) => db.Titles
            .Where(t => t.Id == id)
            .Select(t => new TitleImages(t.ServerItemId, t.PrimaryImageTag, t.BackdropImageTag))
            .FirstOrDefault());

    // requestedTag: the tag the address names (v=), if any.
    public async Task<TitleImages?> FindAsync(long titleId, string? requestedTag, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcTicks;
        if (titles.TryGetValue(titleId, out var entry) && now < entry.ExpiresTicks
            && (string.IsNullOrEmpty(requestedTag) || entry.Images is null || entry.Images.PrimaryTag == requestedTag || entry.Images.BackdropTag == requestedTag))
        {
            return entry.Images;
        }
        await using var scope = scopes.CreateAsyncScope();
        var images = await Find(scope.ServiceProvider.GetRequiredService<AppDbContext>(), titleId, ct);
        if (titles.Count >= MaxEntries)
        {
            titles.Clear();
            files.Clear();
        }
        titles[titleId] = (images, now + Lifetime.Ticks);
        return images;
    }

    // The cached file of that image and tag, if it was served before and is still on disk.
    public ImageAnswer? CachedFile(long titleId, ServerImageType type, string tag) =>
        files.TryGetValue((titleId, type), out var file) && file.Tag == tag && File.Exists(file.Answer.FilePath) ? file.Answer : null;

    public void RememberFile(long titleId, ServerImageType type, string tag, ImageAnswer answer)
    {
        if (files.Count >= MaxEntries)
        {
            files.Clear();
        }
        files[(titleId, type)] = (tag, answer);
    }
}
