using System.Text.Json.Serialization;
using Aperture.Catalog;
using Aperture.Browse;
using Aperture.Data;
using Aperture.MediaServers;
using Aperture.Settings;
using Microsoft.EntityFrameworkCore;
using Aperture.Recommendations;

namespace Aperture.Feedback;

// The body of PUT /api/users/{id}/feedback/{kind}/{titleId} and of the feedback buttons.
public sealed record FeedbackInput(string? Reaction, string? Reason = null, int? Rating = null);

public sealed record FeedbackView(long TitleId, string Kind, string Name, int? Year, string? Reaction, string? Reason, int? Rating,
    DateTimeOffset UpdatedAt, [property: JsonPropertyName("posterUrl")] TitleImage? Poster, bool Removed, string? WriteBack);

public sealed record FeedbackChange(FeedbackReaction? Reaction, FeedbackReason? Reason, int? Rating);

// Feedback on titles: saving it takes a 👎 or "not interested" out of the user's picks and channels at once (the runs keep it
// out after: FeedbackInputs), and with the user's consent a 👍 becomes a favourite on the media server.
public sealed class FeedbackService(AppDbContext db, MediaServerSettings media, SettingsStore store, TimeProvider time, ILogger<FeedbackService> logger,
    DataMemo memo)
{
    public static string Word(FeedbackReaction r) => r switch
    {
        FeedbackReaction.Up => "up",
        FeedbackReaction.Down => "down",
        _ => "notInterested",
    };

    public static string Word(FeedbackReason r) => r switch
    {
        FeedbackReason.Seen => "seen",
        FeedbackReason.Genre => "genre",
        _ => "title",
    };

    public static string Label(FeedbackReason? r) => r switch
    {
        FeedbackReason.Seen => "seen it elsewhere",
        FeedbackReason.Genre => "not my genre",
        FeedbackReason.Title => "not this title",
        _ => "",
    };

    // Errors name the field: reaction, reason or rating.
    public static (FeedbackChange? Change, Dictionary<string, string> Errors) Parse(FeedbackInput input)
    {
        var errors = new Dictionary<string, string>();
        FeedbackReaction? reaction = input.Reaction?.Trim().ToLowerInvariant() switch
        {
            null or "" => null,
            "up" => FeedbackReaction.Up,
            "down" => FeedbackReaction.Down,
            "notinterested" or "not-interested" => FeedbackReaction.NotInterested,
            _ => Error("reaction", "reaction must be up, down or notInterested."),
        };
        FeedbackReason? reason = input.Reason?.Trim().ToLowerInvariant() switch
        {
            null or "" => null,
            "seen" => FeedbackReason.Seen,
            "genre" => FeedbackReason.Genre,
            "title" => FeedbackReason.Title,
            _ => ReasonError(),
        };
        if (reason is not null && reaction != FeedbackReaction.NotInterested && !errors.ContainsKey("reaction"))
        {
            errors["reason"] = "reason goes with reaction notInterested only.";
        }
        if (input.Rating is { } r && r is < 1 or > 10)
        {
            errors["rating"] = "rating must be a whole number from 1 to 10.";
        }
        if (reaction is null && input.Rating is null && errors.Count == 0)
        {
            errors["reaction"] = "Send a reaction (up, down or notInterested), a rating from 1 to 10, or both.";
        }
        return (errors.Count == 0 ? new FeedbackChange(reaction, reason, input.Rating) : null, errors);

        FeedbackReaction? Error(string field, string message)
        {
            errors[field] = message;
            return null;
        }

        FeedbackReason? ReasonError()
        {
            errors["reason"] = "reason must be seen, genre or title.";
            return null;
        }
    }

    // My Picks' bars and My Taste read this on every view: kept per user and data state (every feedback write is a new
    // state), see DataMemo; each caller gets its own list.
    public async Task<List<FeedbackView>> ListAsync(string userId, MediaKind? kind, CancellationToken ct) =>
        [.. await memo.ForUserAsync(db, userId, $"feedback:{(kind is { } k ? (int)k : -1)}", c => ReadListAsync(userId, kind, c), ct)];

    private async Task<IReadOnlyList<FeedbackView>> ReadListAsync(string userId, MediaKind? kind, CancellationToken ct)
    {
        var rows = await db.UserFeedback.AsNoTracking().Where(f => f.UserId == userId && (kind == null || f.Kind == kind))
            .OrderByDescending(f => f.UpdatedAt).ThenByDescending(f => f.TitleId)
            .Select(f => new { f.TitleId, f.Kind, f.Title.Name, f.Title.Year, f.Reaction, f.Reason, f.Rating, f.UpdatedAt, f.Title.PrimaryImageTag })
            .ToListAsync(ct);
        return [.. rows.Select(f => new FeedbackView(f.TitleId, f.Kind.Slug(), f.Name, f.Year, f.Reaction is { } r ? Word(r) : null,
            f.Reason is { } why ? Word(why) : null, f.Rating, f.UpdatedAt, TitleImage.Of(f.TitleId, ServerImageType.Primary, f.PrimaryImageTag),
            f.Reaction is FeedbackReaction.Down or FeedbackReaction.NotInterested, null))];
    }

    public Task<UserFeedback?> GetAsync(string userId, long titleId, CancellationToken ct) =>
        db.UserFeedback.AsNoTracking().FirstOrDefaultAsync(f => f.UserId == userId && f.TitleId == titleId, ct);

    // Null when the title is not one of this kind. A rating alone keeps the reaction already given, and a reaction alone the rating.
    public async Task<FeedbackView?> SetAsync(string userId, MediaKind kind, long titleId, FeedbackChange change, CancellationToken ct)
    {
        var title = await db.Titles.AsNoTracking().Where(t => t.Id == titleId && t.Kind == kind)
            .Select(t => new { t.Id, t.Name, t.Year, t.ServerItemId, t.PrimaryImageTag }).FirstOrDefaultAsync(ct);
        if (title is null)
        {
            return null;
        }
        var row = await db.UserFeedback.FirstOrDefaultAsync(f => f.UserId == userId && f.TitleId == titleId, ct);
        if (row is null)
        {
            db.UserFeedback.Add(row = new UserFeedback { UserId = userId, Kind = kind, TitleId = titleId });
        }
        var wasUp = row.Reaction == FeedbackReaction.Up;
        if (change.Reaction is not null)
        {
            row.Reaction = change.Reaction;
            row.Reason = change.Reason;
        }
        row.Rating = change.Rating ?? row.Rating;
        row.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);

        if (row.Removes)
        {
            await RemoveNowAsync(userId, kind, titleId, ct);
        }
        string? writeBack = null;
        var isUp = row.Reaction == FeedbackReaction.Up;
        // Already a favourite on the server (as last synced): nothing to write, and so nothing an undo may clear.
        if (isUp && !wasUp && !row.WroteFavorite && await WriteBackAllowedAsync(userId, ct)
            && !await db.WatchStates.AnyAsync(w => w.UserId == userId && w.TitleId == titleId && w.EpisodeId == null && w.IsFavorite, ct))
        {
            writeBack = await WriteFavoriteAsync(userId, title.ServerItemId, true, ct);
            row.WroteFavorite = writeBack is null;
        }
        else if (!isUp && row.WroteFavorite)
        {
            writeBack = await WriteFavoriteAsync(userId, title.ServerItemId, false, ct);
            row.WroteFavorite = writeBack is not null;
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return new FeedbackView(title.Id, kind.Slug(), title.Name, title.Year, row.Reaction is { } r ? Word(r) : null, row.Reason is { } why ? Word(why) : null,
            row.Rating, row.UpdatedAt, TitleImage.Of(title.Id, ServerImageType.Primary, title.PrimaryImageTag), row.Removes, writeBack);
    }

    // Undo: the title is eligible again from the next run (the picks it was removed from come back then). False: nothing to undo.
    public async Task<bool> UndoAsync(string userId, MediaKind kind, long titleId, CancellationToken ct)
    {
        var row = await db.UserFeedback.FirstOrDefaultAsync(f => f.UserId == userId && f.Kind == kind && f.TitleId == titleId, ct);
        if (row is null)
        {
            return false;
        }
        if (row.WroteFavorite)
        {
            var item = await db.Titles.AsNoTracking().Where(t => t.Id == titleId).Select(t => t.ServerItemId).FirstAsync(ct);
            await WriteFavoriteAsync(userId, item, false, ct);
        }
        db.UserFeedback.Remove(row);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return true;
    }

    // At once, in this request: the stored pick and the entries of the user's own channels (other copies of the film too).
    private async Task RemoveNowAsync(string userId, MediaKind kind, long titleId, CancellationToken ct)
    {
        var ids = (await FeedbackInputs.CopiesAsync(db, kind, [titleId], ct)).GetValueOrDefault(titleId) ?? [];
        ids.Add(titleId);
        await db.Picks.Where(p => p.UserId == userId && p.Kind == kind && ids.Contains(p.TitleId)).ExecuteDeleteAsync(ct);
        await db.ChannelEntries.Where(e => ids.Contains(e.TitleId) && db.Channels.Any(c => c.Id == e.ChannelId && c.OwnerId == userId))
            .ExecuteDeleteAsync(ct);
    }

    public async Task<bool> WriteBackAllowedAsync(string userId, CancellationToken ct) =>
        (await memo.ForUserAsync(db, userId, "write-back", async c => (object)await db.UserPreferences.AsNoTracking()
            .Where(p => p.UserId == userId).Select(p => p.FavoriteWriteBack).FirstOrDefaultAsync(c), ct)) is true;

    public async Task SetWriteBackAsync(string userId, bool allowed, CancellationToken ct)
    {
        var row = await db.UserPreferences.FirstOrDefaultAsync(p => p.UserId == userId, ct);
        if (row is null)
        {
            db.UserPreferences.Add(row = new UserPreferences { UserId = userId });
        }
        row.FavoriteWriteBack = allowed;
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    // Null when written; otherwise what went wrong, for the user to see (the feedback itself is saved either way).
    private async Task<string?> WriteFavoriteAsync(string userId, string itemId, bool favorite, CancellationToken ct)
    {
        try
        {
            var client = await media.GetClientAsync(ct);
            var version = (await store.GetAsync(SettingKeys.MediaServerVersion, ct)).Value;
            await client.SetFavoriteAsync(userId, itemId, favorite, version, ct);
            return null;
        }
        catch (MediaServerException e)
        {
            logger.LogWarning("Favourite write-back for {UserId} failed: {Error}", userId, e.Message);
            return $"Saved here, but the media server did not take the favourite: {e.Message}";
        }
    }
}
