using Aperture.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.ML.Tokenizers;

namespace Aperture.Embeddings;

public sealed record KindCost(MediaKind Kind, int Titles, long Tokens, int AddedLast30Days, long TokensLast30Days);

public sealed record CostInputs(string Provider, string Model, decimal? PricePerMillionTokens, IReadOnlyList<KindCost> Kinds,
    long TotalTokens, decimal? OneOffUsd, decimal? MonthlyUsd);

// What embedding the catalogue costs: the composed texts counted with OpenAI's own tokenizer (cl100k_base,
// used by the text-embedding-3 models), times the model's price; "monthly" from titles added in the last 30 days.
public sealed class EmbeddingCostEstimator(AppDbContext db, EmbeddingSettings settings, TimeProvider time)
{
    private static readonly Lazy<Tokenizer> Tokens = new(() => TiktokenTokenizer.CreateForModel("text-embedding-3-small"));

    public async Task<CostInputs> EstimateAsync(CancellationToken ct)
    {
        var config = await settings.GetAsync(ct);
        var since = time.GetUtcNow().AddDays(-30);
        var kinds = new List<KindCost>();
        foreach (var kind in Enum.GetValues<MediaKind>())
        {
            int titles = 0, added = 0;
            long tokens = 0, addedTokens = 0;
            await foreach (var title in db.Titles.AsNoTracking().Where(t => t.Kind == kind).AsAsyncEnumerable().WithCancellation(ct))
            {
                var count = Tokens.Value.CountTokens(TitleDocument.From(title).ComposeText());
                titles++;
                tokens += count;
                if (title.DateCreated >= since)
                {
                    added++;
                    addedTokens += count;
                }
            }
            kinds.Add(new KindCost(kind, titles, tokens, added, addedTokens));
        }
        decimal? price = config.Provider == EmbeddingProviders.OpenAi && KnownEmbeddingModels.OpenAi.TryGetValue(config.Model, out var m)
            ? m.PricePerMillionTokens
            : config.Provider == EmbeddingProviders.OpenAi ? null : 0m;
        var total = kinds.Sum(k => k.Tokens);
        var monthly = kinds.Sum(k => k.TokensLast30Days);
        return new CostInputs(config.Provider, config.Model, price, kinds, total,
            price is null ? null : Math.Round(total * price.Value / 1_000_000m, 4),
            price is null ? null : Math.Round(monthly * price.Value / 1_000_000m, 4));
    }
}
