using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Aperture.Data;
using Aperture.Settings;
using Microsoft.EntityFrameworkCore;
using Aperture.VectorSearch;
using Aperture.Progress;
using Aperture.Wording;

namespace Aperture.Embeddings;

public sealed record EmbeddingRunResult(string ModelKey, int Titles, int Embedded, int Unchanged, bool Activated);

// Gives every title of a kind a vector under the configured model, in resumable batches, and makes the
// set active for searches only once it is complete (so picks keep working while a new model fills in).
public sealed partial class EmbeddingService(AppDbContext db, SettingsStore store, EmbeddingSettings settings,
    IHttpClientFactory http, DatabaseTarget target, TimeProvider time, IConfiguration configuration, ILogger<EmbeddingService> logger)
{
    // The local model is refitted when the catalogue has grown or shrunk by this share since it was fitted.
    public const double RefitChange = 0.2;

    public async Task<EmbeddingRunResult> GenerateAsync(MediaKind kind, IJobProgress progress, CancellationToken ct)
    {
        var config = await settings.GetAsync(ct);
        progress.Stage("Reading titles");
        var docs = await DocumentsAsync(kind, ct);

        string key;
        int batchSize;
        Func<IReadOnlyList<TitleDocument>, Task<IReadOnlyList<float[]>>> embed;
        RemoteEmbeddingProvider? remote = null;
        if (config.Provider == EmbeddingProviders.Local)
        {
            var model = await LocalModelAsync(kind, docs.Values.ToList(), progress, ct);
            key = LocalKey(model);
            // Each batch is one commit; smaller batches make progress finer and lose less to a kill (Embeddings:LocalBatchSize).
            batchSize = Math.Clamp(configuration.GetValue("Embeddings:LocalBatchSize", 500), 1, 5000);
            embed = batch => Task.FromResult<IReadOnlyList<float[]>>(batch.Select(model.Embed).ToList());
        }
        else
        {
            remote = await settings.CreateRemoteAsync(null, http.CreateClient(EmbeddingsExtensions.HttpClientName), ct);
            key = $"{config.Provider}:{config.Model}:t{TitleDocument.TextVersion}";
            batchSize = 64;
            embed = async batch =>
            {
                var result = await remote!.EmbedAsync(batch.Select(d => d.ComposeText()).ToList(), ct);
                progress.Count("tokens", result.InputTokens);
                return result.Vectors;
            };
        }

        try
        {
            var existing = await db.TitleEmbeddings.AsNoTracking().Where(e => e.Kind == kind && e.ModelKey == key)
                .Select(e => new { e.TitleId, e.ContentHash }).ToDictionaryAsync(e => e.TitleId, ct);
            var hashes = docs.ToDictionary(d => d.Key, d => ContentHash(d.Value));
            var todo = docs.Keys.Where(id => !existing.TryGetValue(id, out var e) || e.ContentHash != hashes[id]).ToList();
            progress.Stage($"Embedding {kind.Slug()} with {key}", todo.Count);
            progress.Log($"{Plural.Count(docs.Count, "title")}, {todo.Count} to embed with {key}, {docs.Count - todo.Count} unchanged");

            // Each batch is committed on its own: a cancelled or failed run keeps what it finished.
            foreach (var batch in todo.Chunk(batchSize))
            {
                ct.ThrowIfCancellationRequested();
                var vectors = await embed(batch.Select(id => docs[id]).ToList());
                var now = time.GetUtcNow();
                var rows = await db.TitleEmbeddings.Where(e => e.ModelKey == key && batch.Contains(e.TitleId)).ToDictionaryAsync(e => e.TitleId, ct);
                for (var i = 0; i < batch.Length; i++)
                {
                    var id = batch[i];
                    if (!rows.TryGetValue(id, out var row))
                    {
                        row = new TitleEmbedding { TitleId = id, Kind = kind, ModelKey = key, ContentHash = "", Vector = [] };
                        db.TitleEmbeddings.Add(row);
                    }
                    row.ContentHash = hashes[id];
                    row.Vector = vectors[i];
                    row.Dimensions = vectors[i].Length;
                    row.CreatedAt = now;
                }
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
                progress.Advance(batch.Length);
                progress.Count("embedded", batch.Length);
            }

            var activated = await ActivateAsync(kind, key, docs.Count, todo.Count > 0, ct);
            progress.Log(activated ? $"{key} is now the active {kind.Slug()} model" : $"{key} was already active");
            return new EmbeddingRunResult(key, docs.Count, todo.Count, docs.Count - todo.Count, activated);
        }
        finally
        {
            remote?.Dispose();
        }
    }

    public static string LocalKey(LocalEmbeddingModel model) => "local:" + model.Version;

    // Every title of the kind as the text it is embedded from, in id order, read a page at a time: a title's row (all its
    // people, image tags, server fields) is several times its document, and at 100,000 titles holding every row for the
    // whole run was ~300 MB (README › Benchmarks, (c)).
    internal const int ReadPageSize = 2000;

    private async Task<Dictionary<long, TitleDocument>> DocumentsAsync(MediaKind kind, CancellationToken ct)
    {
        var docs = new Dictionary<long, TitleDocument>();
        var after = long.MinValue;
        while (true)
        {
            var page = await db.Titles.AsNoTracking().Where(t => t.Kind == kind && t.Id > after).OrderBy(t => t.Id).Take(ReadPageSize).ToListAsync(ct);
            foreach (var title in page)
            {
                docs.Add(title.Id, TitleDocument.From(title));
            }
            if (page.Count < ReadPageSize)
            {
                return docs;
            }
            after = page[^1].Id;
        }
    }

    // A free text as a vector in the ACTIVE set of a kind, so it can be searched against the titles: the stored local
    // model embeds it offline; a remote provider is asked when the active set is its own. Null when the kind has no
    // searchable vectors yet, or the text shares nothing with the catalogue (local) — the caller says so.
    public async Task<float[]?> EmbedQueryAsync(MediaKind kind, string text, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var active = (await store.GetAsync(SettingKeys.ActiveEmbeddingModel(kind), ct)).Value;
        if (active is null)
        {
            return null;
        }
        float[] vector;
        if (active.StartsWith("local:", StringComparison.Ordinal))
        {
            var stored = await db.EmbeddingModels.AsNoTracking().Where(m => m.ModelKey == active).Select(m => m.State).FirstOrDefaultAsync(ct);
            if (stored is null || LocalEmbeddingModel.Deserialize(stored) is not { } model)
            {
                return null;
            }
            vector = model.EmbedQuery(text);
        }
        else
        {
            var config = await settings.GetAsync(ct);
            // Vectors of two models never meet: while a new provider fills in, the old set cannot embed new text.
            if (!active.StartsWith($"{config.Provider}:{config.Model}:", StringComparison.Ordinal))
            {
                return null;
            }
            using var remote = await settings.CreateRemoteAsync(null, http.CreateClient(EmbeddingsExtensions.HttpClientName), ct);
            vector = (await remote!.EmbedAsync([text.Trim()], ct)).Vectors[0];
        }
        return System.Numerics.Tensors.TensorPrimitives.Norm(vector) > 0 ? vector : null;
    }

    private async Task<LocalEmbeddingModel> LocalModelAsync(MediaKind kind, List<TitleDocument> docs, IJobProgress progress, CancellationToken ct)
    {
        var stored = await db.EmbeddingModels.AsNoTracking().Where(m => m.Kind == kind).OrderByDescending(m => m.FittedAt).FirstOrDefaultAsync(ct);
        var model = stored is null ? null : LocalEmbeddingModel.Deserialize(stored.State);
        if (model is not null && docs.Count <= model.DocumentCount * (1 + RefitChange) && docs.Count >= model.DocumentCount * (1 - RefitChange))
        {
            return model;
        }
        progress.Stage("Fitting the local model");
        model = LocalEmbeddingModel.Fit(docs);
        progress.Log(stored is null
            ? $"Fitted the local model on {Plural.Count(docs.Count, "title")} ({Plural.Count(model.VocabularySize, "feature")})"
            : $"Refitted the local model: the catalogue changed from {stored.DocumentCount} to {Plural.Count(docs.Count, "title")}; everything is re-embedded");
        var key = LocalKey(model);
        if (!await db.EmbeddingModels.AnyAsync(m => m.ModelKey == key, ct))
        {
            db.EmbeddingModels.Add(new StoredEmbeddingModel
            {
                ModelKey = key, Kind = kind, Dimensions = model.Dimensions, DocumentCount = model.DocumentCount,
                State = model.Serialize(), FittedAt = time.GetUtcNow(),
            });
            await db.SaveChangesAsync(ct);
        }
        return model;
    }

    // Switches searches to the key once every title has a vector under it, then drops the other sets.
    private async Task<bool> ActivateAsync(MediaKind kind, string key, int titleCount, bool changed, CancellationToken ct)
    {
        var complete = await db.TitleEmbeddings.CountAsync(e => e.Kind == kind && e.ModelKey == key, ct) == titleCount;
        if (!complete)
        {
            throw new InvalidOperationException($"Only part of the {kind.Slug()} catalogue has {key} vectors; run the job again to finish.");
        }
        var active = (await store.GetAsync(SettingKeys.ActiveEmbeddingModel(kind), ct)).Value;
        var activated = active != key;
        if (activated || changed)
        {
            if (target.Provider == DatabaseProvider.Postgres && titleCount > 0)
            {
                await EnsureHnswIndexAsync(kind, key, ct);
            }
            await store.SetAsync(SettingKeys.ActiveEmbeddingModel(kind), key, ct);
            var generation = long.TryParse((await store.GetAsync(SettingKeys.EmbeddingGeneration(kind), ct)).Value, out var g) ? g : 0;
            await store.SetAsync(SettingKeys.EmbeddingGeneration(kind), (generation + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
            await store.SaveAsync(ct);
        }
        await db.TitleEmbeddings.Where(e => e.Kind == kind && e.ModelKey != key).ExecuteDeleteAsync(ct);
        await db.EmbeddingModels.Where(m => m.Kind == kind && m.ModelKey != key).ExecuteDeleteAsync(ct);
        if (activated)
        {
            logger.LogInformation("Embeddings: {Kind} searches now use {Key}", kind, key);
        }
        return activated;
    }

    // pgvector's HNSW needs a fixed size: one partial index per active set, on a cast to its size
    // (halfvec above 2,000 dimensions, where HNSW on vector stops).
    private async Task EnsureHnswIndexAsync(MediaKind kind, string key, CancellationToken ct)
    {
        var dims = await db.TitleEmbeddings.Where(e => e.Kind == kind && e.ModelKey == key).Select(e => e.Dimensions).FirstAsync(ct);
        var (cast, ops) = PgVectorSql.Cast(dims);
        var name = PgVectorSql.IndexName(kind, key);
        var prefix = $"ix_emb_{kind.Slug()}_";
        var old = await db.Database.SqlQueryRaw<string>(
            "SELECT indexname AS \"Value\" FROM pg_indexes WHERE tablename = 'title_embeddings' AND indexname LIKE {0}", prefix + "%").ToListAsync(ct);
        foreach (var index in old.Where(i => i != name))
        {
#pragma warning disable EF1002 // names come from pg_indexes and our own prefix, never from a user
            await db.Database.ExecuteSqlRawAsync($"DROP INDEX IF EXISTS \"{index}\"", ct);
#pragma warning restore EF1002
        }
        var sql = $"CREATE INDEX IF NOT EXISTS \"{name}\" ON title_embeddings USING hnsw ((\"Vector\"::{cast}) {ops}) WHERE \"ModelKey\" = {PgVectorSql.Literal(key)}";
        // Building the graph takes minutes at 100,000 titles on a small box (measured: past the 30 s default command
        // timeout at 100k titles, which failed the job after every vector was written), so this one statement has no
        // timeout of its own; the job's cancellation still stops it.
        var timeout = db.Database.GetCommandTimeout();
        db.Database.SetCommandTimeout(TimeSpan.Zero);
        try
        {
#pragma warning disable EF1002 // the key is validated by PgVectorSql.Literal
            await db.Database.ExecuteSqlRawAsync(sql, ct);
#pragma warning restore EF1002
        }
        finally
        {
            db.Database.SetCommandTimeout(timeout);
        }
    }

    private static string ContentHash(TitleDocument doc) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(doc.ComposeText())))[..32];
}
