using System.Numerics.Tensors;

namespace Aperture.VectorSearch;

public readonly record struct VectorHit(long Id, float Score);

// Exact cosine top-k over unit vectors, scored with SIMD dot products. Used on SQLite (PostgreSQL searches with pgvector).
// Immutable: a refresh builds a new index and swaps it in. It keeps the arrays it is given (one per title, read-only from
// then on) rather than copying them into one matrix, so a picks run can share them instead of holding a second copy of the
// catalogue's vectors (README › Benchmarks, "Memory"); arrays allocated one after another sit next to each other anyway.
public sealed class ExactVectorIndex
{
    // Rows scored together per pass of the batch search: 128 rows × 384 dims × 4 B = 192 KiB, so a
    // block stays in L2 while every query runs over it.
    private const int BlockRows = 128;

    private readonly float[][] rows;
    private readonly long[] ids;
    private readonly Dictionary<long, int> rowOf;

    public ExactVectorIndex(int dimensions, IReadOnlyList<(long Id, float[] Vector)> rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        Dimensions = dimensions;
        this.rows = new float[rows.Count][];
        ids = new long[rows.Count];
        rowOf = new Dictionary<long, int>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var (id, vector) = rows[i];
            if (vector.Length != dimensions)
            {
                throw new ArgumentException($"Vector {id} has {vector.Length} dimensions, the index {dimensions}.", nameof(rows));
            }
            this.rows[i] = vector;
            ids[i] = id;
            rowOf[id] = i;
        }
    }

    public int Dimensions { get; }
    public int Count => ids.Length;

    public bool TryGetVector(long id, out ReadOnlySpan<float> vector)
    {
        if (rowOf.TryGetValue(id, out var row))
        {
            vector = rows[row];
            return true;
        }
        vector = default;
        return false;
    }

    // The index's own array for a title, shared: callers read it and never write to it.
    public float[]? SharedVector(long id) => rowOf.TryGetValue(id, out var row) ? rows[row] : null;

    public IReadOnlyList<VectorHit> Nearest(ReadOnlySpan<float> query, int k, Func<long, bool>? include = null)
    {
        CheckQuery(query);
        var top = new TopK(k);
        for (var row = 0; row < ids.Length; row++)
        {
            var score = TensorPrimitives.Dot(query, rows[row]);
            if (top.Accepts(score) && (include is null || include(ids[row])))
            {
                top.Add(ids[row], score);
            }
        }
        return top.Sorted();
    }

    // Many queries in one pass over the matrix (the nightly job scores every user at once).
    public IReadOnlyList<VectorHit>[] NearestBatch(IReadOnlyList<float[]> queries, int k, IReadOnlyList<Func<long, bool>?>? include = null)
    {
        foreach (var q in queries)
        {
            CheckQuery(q);
        }
        var tops = queries.Select(_ => new TopK(k)).ToArray();
        for (var start = 0; start < ids.Length; start += BlockRows)
        {
            var end = Math.Min(ids.Length, start + BlockRows);
            for (var q = 0; q < queries.Count; q++)
            {
                var query = queries[q];
                var top = tops[q];
                var filter = include?[q];
                for (var row = start; row < end; row++)
                {
                    var score = TensorPrimitives.Dot(query, rows[row]);
                    if (top.Accepts(score) && (filter is null || filter(ids[row])))
                    {
                        top.Add(ids[row], score);
                    }
                }
            }
        }
        return tops.Select(t => t.Sorted()).ToArray();
    }

    private void CheckQuery(ReadOnlySpan<float> query)
    {
        // Vectors of another model never meet: a mixed-dimension query is a bug, not a result.
        if (query.Length != Dimensions)
        {
            throw new ArgumentException($"The query has {query.Length} dimensions; this index holds {Dimensions}-dimension vectors.", nameof(query));
        }
    }

    // A bounded min-heap: the weakest of the best k is at the root.
    private sealed class TopK(int k)
    {
        private readonly PriorityQueue<long, float> heap = new(k + 1);

        public bool Accepts(float score) => heap.Count < k || (heap.TryPeek(out _, out var min) && score > min);

        public void Add(long id, float score)
        {
            heap.Enqueue(id, score);
            if (heap.Count > k)
            {
                heap.Dequeue();
            }
        }

        public List<VectorHit> Sorted()
        {
            var hits = new List<VectorHit>(heap.Count);
            foreach (var (id, score) in heap.UnorderedItems)
            {
                hits.Add(new VectorHit(id, score));
            }
            hits.Sort((a, b) => b.Score.CompareTo(a.Score) is var c && c != 0 ? c : a.Id.CompareTo(b.Id));
            return hits;
        }
    }
}
