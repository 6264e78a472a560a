using System.Buffers.Binary;
using System.Globalization;
using System.Numerics.Tensors;
using System.Security.Cryptography;
using System.Text;

namespace Aperture.Embeddings;

// The offline provider: no model weights exist in reach, so it learns from the catalogue itself.
// Each title becomes weighted field features (genres, keywords, people by role, studios, decade,
// rating, overview words), weighted by TF-IDF fitted on the catalogue, then projected to a dense
// unit vector by a deterministic sparse random projection (each feature adds ±weight to a few
// dimensions chosen by a stable hash of its name). Same catalogue, same vectors.
public sealed class LocalEmbeddingModel
{
    public const int FeatureVersion = 1;
    public const int DefaultDimensions = 256;
    private const int ProbesPerFeature = 8;

    private readonly Dictionary<string, float> idf;
    // Each known feature's dimensions and signs, hashed once here rather than for every title.
    private readonly Dictionary<string, (float Idf, int[] Probes, float[] Signs)> features;

    private LocalEmbeddingModel(Dictionary<string, float> idf, int dimensions, int documentCount)
    {
        this.idf = idf;
        Dimensions = dimensions;
        DocumentCount = documentCount;
        Version = ComputeVersion();
        features = new Dictionary<string, (float, int[], float[])>(idf.Count, StringComparer.Ordinal);
        foreach (var (feature, weight) in idf)
        {
            var probes = new int[ProbesPerFeature];
            var signs = new float[ProbesPerFeature];
            Project(feature, probes, signs);
            features[feature] = (weight, probes, signs);
        }
    }

    public int Dimensions { get; }
    public int DocumentCount { get; }
    public int VocabularySize => idf.Count;

    // Changes whenever the fitted vocabulary, the weights or the feature code change: a new
    // version means every stored vector must be recomputed.
    public string Version { get; }

    public static LocalEmbeddingModel Fit(IReadOnlyCollection<TitleDocument> documents, int dimensions = DefaultDimensions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 16);
        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var document in documents)
        {
            foreach (var feature in TitleFeatures.Extract(document).Select(f => f.Feature).Distinct())
            {
                documentFrequency[feature] = documentFrequency.GetValueOrDefault(feature) + 1;
            }
        }
        var n = documents.Count;
        // A feature seen once says nothing about similarity; one in most titles says little.
        var idf = documentFrequency
            .Where(kv => kv.Value >= 2 && kv.Value <= Math.Max(2, n * 0.5))
            .ToDictionary(kv => kv.Key, kv => (float)(Math.Log((n + 1.0) / (kv.Value + 1.0)) + 1.0), StringComparer.Ordinal);
        return new LocalEmbeddingModel(idf, dimensions, n);
    }

    private sealed record State(int FeatureVersion, int Dimensions, int DocumentCount, Dictionary<string, float> Idf);

    // Stored so that titles added later are embedded with the same model as the rest.
    public string Serialize() => System.Text.Json.JsonSerializer.Serialize(new State(FeatureVersion, Dimensions, DocumentCount, idf));

    // Null when the stored model was made by other feature code (it must be refitted).
    public static LocalEmbeddingModel? Deserialize(string json)
    {
        var state = System.Text.Json.JsonSerializer.Deserialize<State>(json);
        return state is null || state.FeatureVersion != FeatureVersion
            ? null
            : new LocalEmbeddingModel(new Dictionary<string, float>(state.Idf, StringComparer.Ordinal), state.Dimensions, state.DocumentCount);
    }

    public float[] Embed(TitleDocument document) => Embed(TitleFeatures.Extract(document));

    // Free text ("noir detective stories, rainy cities") in the same space as the titles: each word may be an
    // overview word, a keyword or a genre, and so may each comma-separated phrase; words the catalogue never
    // used are ignored. A zero vector when nothing in the text is known.
    public float[] EmbedQuery(string text) => Embed(TitleFeatures.ExtractQuery(text));

    private float[] Embed(IEnumerable<(string Feature, float Weight)> extracted)
    {
        var vector = new float[Dimensions];
        var weights = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var (feature, weight) in extracted)
        {
            weights[feature] = weights.GetValueOrDefault(feature) + weight;
        }
        foreach (var (feature, rawWeight) in weights)
        {
            if (!features.TryGetValue(feature, out var known))
            {
                continue;
            }
            var (inverse, probes, signs) = known;
            // Sub-linear term frequency: a word repeated in an overview should not dominate.
            var weight = (float)(1.0 + Math.Log(rawWeight)) * inverse;
            if (rawWeight < 1)
            {
                weight = rawWeight * inverse;
            }
            for (var i = 0; i < ProbesPerFeature; i++)
            {
                vector[probes[i]] += signs[i] * weight;
            }
        }
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
        return vector;
    }

    private void Project(string feature, int[] probes, float[] signs)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(feature));
        for (var i = 0; i < ProbesPerFeature; i++)
        {
            var word = BinaryPrimitives.ReadUInt32LittleEndian(hash.AsSpan(i * 4 % 28, 4)) ^ (uint)(i * 0x9E3779B9);
            probes[i] = (int)(word % (uint)Dimensions);
            signs[i] = (word & 0x80000000) != 0 ? -1f : 1f;
        }
    }

    private string ComputeVersion()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"f{FeatureVersion}|d{Dimensions}|p{ProbesPerFeature}|");
        foreach (var (feature, weight) in idf.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            text.Append(feature).Append('=').Append(weight.ToString("R", CultureInfo.InvariantCulture)).Append('|');
        }
        return "local-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
