using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Aperture.Data;

namespace Aperture.VectorSearch;

// The SQL pieces of pgvector's per-model HNSW indexes, shared by the index builder (Embeddings) and the search.
public static partial class PgVectorSql
{
    public static (string Cast, string Ops) Cast(int dims) => dims > 2000
        ? ($"halfvec({dims})", "halfvec_cosine_ops")
        : ($"vector({dims})", "vector_cosine_ops");

    public static string IndexName(MediaKind kind, string key) =>
        $"ix_emb_{kind.Slug()}_{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12]}";

    // Partial-index predicates must be literals for the planner to match them; keys are our own
    // strings, but a model name typed by an admin is in them, so only a safe alphabet passes.
    public static string Literal(string key) => SafeKey().IsMatch(key)
        ? $"'{key}'"
        : throw new InvalidOperationException($"The embedding model key '{key}' has characters Aperture does not put in SQL.");

    [GeneratedRegex("^[A-Za-z0-9:._/+-]{1,200}$")]
    private static partial Regex SafeKey();
}
