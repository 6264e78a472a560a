using Aperture.Embeddings;
using Aperture.Data;

namespace Aperture.Jobs;

// generate-embeddings and generate-series-embeddings: one implementation, the kind from the definition.
public sealed class GenerateEmbeddingsJob(EmbeddingService embeddings) : IJob
{
    public async Task RunAsync(JobContext context, CancellationToken ct)
    {
        var kind = context.Definition.Kind ?? MediaKind.Movie;
        var result = await embeddings.GenerateAsync(kind, context.Progress, ct);
        context.Progress.Log($"{result.Embedded} embedded, {result.Unchanged} unchanged of {result.Titles} {kind.Slug()} with {result.ModelKey}");
    }
}
