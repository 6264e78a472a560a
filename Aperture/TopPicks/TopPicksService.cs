using System.Text.Json.Serialization;
using Aperture.Catalog;
using Aperture.Browse;
using Aperture.Data;
using Microsoft.EntityFrameworkCore;

namespace Aperture.TopPicks;

public sealed record TopPickView(int Rank, long TitleId, string Name, int? Year, int Viewers, int Plays, double Completion, double Score,
    [property: JsonPropertyName("posterUrl")] TitleImage? Poster, string ServerItemId);

public sealed record TopPicksList(string Kind, bool Enabled, int WindowDays, int MinViewers, DateTimeOffset? ComputedAt, IReadOnlyList<TopPickView> Picks);

// Computes and stores the Top Picks of a kind, and reads them back for the pages and the API.
public sealed class TopPicksService(AppDbContext db, TopPicksSettings settings, TimeProvider time, ILogger<TopPicksService> logger)
{
    // The new list replaces the kind's rows in one transaction. A disabled kind is emptied.
    public async Task<IReadOnlyList<TopPickFigures>> RefreshAsync(MediaKind kind, CancellationToken ct)
    {
        var s = await settings.GetAsync(kind, ct);
        var now = time.GetUtcNow();
        IReadOnlyList<TopPickFigures> figures = s.Enabled ? await TopPicksCalculator.ComputeAsync(db, kind, s, now, ct) : [];
        var rows = figures.Select((f, i) => new TopPick
        {
            Kind = kind, Rank = i + 1, TitleId = f.TitleId, Viewers = f.Viewers, Plays = f.Plays, Completion = f.Completion, Score = f.Score,
            WindowDays = s.WindowDays, ComputedAt = now,
        }).ToList();
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.TopPicks.Where(p => p.Kind == kind).ExecuteDeleteAsync(ct);
            db.TopPicks.AddRange(rows);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
        });
        logger.LogInformation("{Kind} Top Picks: {Count} titles over {Days} days", kind.Slug(), rows.Count, s.WindowDays);
        return figures;
    }

    public async Task<TopPicksList> ListAsync(MediaKind kind, CancellationToken ct)
    {
        var s = await settings.GetForEditAsync(kind, ct);
        var rows = await db.TopPicks.AsNoTracking().Where(p => p.Kind == kind).OrderBy(p => p.Rank)
            .Select(p => new
            {
                p.Rank, p.TitleId, p.Title.Name, p.Title.Year, p.Viewers, p.Plays, p.Completion, p.Score, p.Title.PrimaryImageTag,
                p.Title.ServerItemId, p.ComputedAt, p.WindowDays,
            })
            .ToListAsync(ct);
        var picks = rows.Select(r => new TopPickView(r.Rank, r.TitleId, r.Name, r.Year, r.Viewers, r.Plays, Math.Round(r.Completion, 4), Math.Round(r.Score, 4),
            TitleImage.Of(r.TitleId, Aperture.MediaServers.ServerImageType.Primary, r.PrimaryImageTag), r.ServerItemId)).ToList();
        return new TopPicksList(kind.Slug(), s.Enabled, rows.FirstOrDefault()?.WindowDays ?? s.WindowDays, s.MinViewers,
            rows.FirstOrDefault()?.ComputedAt, picks);
    }
}
