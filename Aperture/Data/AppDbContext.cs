using Aperture.Catalog;
using Aperture.Channels;
using Aperture.Embeddings;
using Aperture.Feedback;
using Aperture.History;
using Aperture.Jobs;
using Aperture.Outputs;
using Aperture.Recommendations;
using Aperture.TopPicks;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Aperture.Data;

// One model, two providers. The provider-specific subclasses exist only so that each
// provider keeps its own migrations set (Migrations/Sqlite, Migrations/Postgres).
public class AppDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Setting> Settings => Set<Setting>();
    public DbSet<AppUser> Users => Set<AppUser>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Library> Libraries => Set<Library>();
    public DbSet<Title> Titles => Set<Title>();
    public DbSet<Episode> Episodes => Set<Episode>();
    public DbSet<WatchState> WatchStates => Set<WatchState>();
    public DbSet<HistorySyncState> HistorySyncStates => Set<HistorySyncState>();
    public DbSet<JobRun> JobRuns => Set<JobRun>();
    public DbSet<JobRunLog> JobRunLogs => Set<JobRunLog>();
    public DbSet<JobSchedule> JobSchedules => Set<JobSchedule>();
    public DbSet<TitleEmbedding> TitleEmbeddings => Set<TitleEmbedding>();
    public DbSet<StoredEmbeddingModel> EmbeddingModels => Set<StoredEmbeddingModel>();
    public DbSet<RecommendationRun> RecommendationRuns => Set<RecommendationRun>();
    public DbSet<Pick> Picks => Set<Pick>();
    public DbSet<TasteProfileRecord> TasteProfiles => Set<TasteProfileRecord>();
    public DbSet<OutputLibraryRecord> OutputLibraries => Set<OutputLibraryRecord>();
    public DbSet<Channel> Channels => Set<Channel>();
    public DbSet<ChannelShare> ChannelShares => Set<ChannelShare>();
    public DbSet<ChannelEntry> ChannelEntries => Set<ChannelEntry>();
    public DbSet<ChannelPlaylist> ChannelPlaylists => Set<ChannelPlaylist>();
    public DbSet<TopPick> TopPicks => Set<TopPick>();
    public DbSet<UserFeedback> UserFeedback => Set<UserFeedback>();
    public DbSet<UserPreferences> UserPreferences => Set<UserPreferences>();
    public DbSet<UserKindSettings> UserKindSettings => Set<UserKindSettings>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }
}

public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options)
{
    // SQLite has no date type: store offsets as sortable integers so ORDER BY and range filters work.
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // Vectors as little-endian float32 blobs, read straight into the in-process index.
        modelBuilder.Entity<TitleEmbedding>().Property(e => e.Vector).HasConversion(
            v => VectorBytes.ToBytes(v),
            b => VectorBytes.FromBytes(b),
            new ValueComparer<float[]>((a, b) => VectorBytes.Same(a, b), v => VectorBytes.Hash(v), v => VectorBytes.Copy(v)));
    }
}

public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options) : AppDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("vector");
        base.OnModelCreating(modelBuilder);
        // pgvector without a fixed size (models differ); HNSW indexes are per model, on a cast to its size.
        modelBuilder.Entity<TitleEmbedding>().Property(e => e.Vector).HasColumnType("vector").HasConversion(
            v => new Pgvector.Vector(v),
            v => v.ToArray(),
            new ValueComparer<float[]>((a, b) => VectorBytes.Same(a, b), v => VectorBytes.Hash(v), v => VectorBytes.Copy(v)));
    }
}
