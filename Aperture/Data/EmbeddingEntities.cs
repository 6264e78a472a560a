using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aperture.Data;

// One title's vector under one model. ModelKey names the whole vector set ("local:<version>",
// "openai:text-embedding-3-small:t1"): a search only ever reads one set, so models never mix.
public sealed class TitleEmbedding
{
    public long Id { get; set; }
    public long TitleId { get; set; }
    public MediaKind Kind { get; set; }
    public required string ModelKey { get; set; }
    public int Dimensions { get; set; }
    public required string ContentHash { get; set; }
    public required float[] Vector { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

// The fitted local model (vocabulary and weights), so new titles embed with the same model.
public sealed class StoredEmbeddingModel
{
    public required string ModelKey { get; set; }
    public MediaKind Kind { get; set; }
    public int Dimensions { get; set; }
    public int DocumentCount { get; set; }
    public required string State { get; set; }
    public DateTimeOffset FittedAt { get; set; }
}

internal sealed class TitleEmbeddingConfiguration : IEntityTypeConfiguration<TitleEmbedding>
{
    public void Configure(EntityTypeBuilder<TitleEmbedding> builder)
    {
        builder.ToTable("title_embeddings");
        builder.HasKey(e => e.Id);
        builder.HasIndex(e => new { e.ModelKey, e.TitleId }).IsUnique();
        builder.HasIndex(e => new { e.Kind, e.ModelKey });
        builder.Property(e => e.ModelKey).HasMaxLength(200);
        builder.Property(e => e.ContentHash).HasMaxLength(64);
        builder.HasOne<Title>().WithMany().HasForeignKey(e => e.TitleId).OnDelete(DeleteBehavior.Cascade);
        // The column type differs per provider (BLOB on SQLite, pgvector on PostgreSQL): see the provider contexts.
    }
}

internal sealed class StoredEmbeddingModelConfiguration : IEntityTypeConfiguration<StoredEmbeddingModel>
{
    public void Configure(EntityTypeBuilder<StoredEmbeddingModel> builder)
    {
        builder.ToTable("embedding_models");
        builder.HasKey(m => m.ModelKey);
        builder.Property(m => m.ModelKey).HasMaxLength(200);
    }
}
