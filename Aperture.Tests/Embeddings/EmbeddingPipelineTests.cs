using System.Net;
using System.Net.Http.Json;
using System.Numerics.Tensors;
using Aperture.Catalog;
using Aperture.Data;
using Aperture.Embeddings;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Settings;
using Aperture.Tests.Infrastructure;
using Aperture.VectorSearch;
using Microsoft.EntityFrameworkCore;
using Aperture.Progress;

namespace Aperture.Tests;

public sealed class EmbeddingPipelineTests
{
    private static readonly string[] Horror = ["Horror", "Science Fiction"];
    private static readonly string[] Romance = ["Romance", "Comedy"];

    private static async Task<(AppFactory App, HttpClient User, FakeMediaServer Server)> StartAsync()
    {
        var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b => { b.User("Admin", "pw", admin: true); b.User("alice", "pw"); });
        var app = new AppFactory().With("Embeddings:MaxRetries", "1");
        await app.ConnectAsync(server);
        var user = await app.SignedInClientAsync("alice", "pw");
        return (app, user, server);
    }

    // Titles of two obvious families, plus filler so the catalogue has a vocabulary.
    private static Task<Dictionary<string, long>> SeedAsync(AppFactory app, int filler = 0) => app.WithDbAsync(async db =>
    {
        db.Libraries.Add(new Library { Id = "lib-movies", Name = "Movies", Kind = MediaKind.Movie, Enabled = true });
        void Add(string name, string[] genres, string[] tags, string director, string overview, string? tmdb = null) =>
            db.Titles.Add(new Title
            {
                Kind = MediaKind.Movie, ServerItemId = Guid.NewGuid().ToString("N"), LibraryId = "lib-movies", Name = name, Year = 1990,
                Genres = [.. genres], Tags = [.. tags], TmdbId = tmdb, Overview = overview,
                People = [new TitlePerson { Name = director, Type = "Director" }],
            });
        Add("Alien", Horror, ["spaceship", "creature"], "Ridley Scott", "A spaceship crew meets a deadly creature.", "348");
        Add("Alien (4K copy)", Horror, ["spaceship", "creature"], "Ridley Scott", "A spaceship crew meets a deadly creature.", "348");
        Add("Aliens", Horror, ["spaceship", "creature", "marines"], "James Cameron", "Marines fight the creature on a spaceship colony.");
        Add("Prometheus", Horror, ["spaceship", "creature"], "Ridley Scott", "A spaceship crew finds the creature's makers.");
        Add("Notting Hill", Romance, ["london", "bookshop"], "Roger Michell", "A bookshop owner in London falls in love.");
        Add("Love Actually", Romance, ["london", "christmas"], "Richard Curtis", "Love stories in London at Christmas.");
        Add("About Time", Romance, ["london", "time travel"], "Richard Curtis", "A young man in London travels in time for love.");
        for (var i = 0; i < filler; i++)
        {
            Add($"Filler {i}", [i % 2 == 0 ? "Drama" : "Documentary"], [$"topic{i % 7}"], $"Director {i % 11}", $"Story number {i} about topic{i % 5}.");
        }
        await db.SaveChangesAsync();
        return await db.Titles.ToDictionaryAsync(t => t.Name, t => t.Id);
    });

    private static async Task<EmbeddingRunResult> RunAsync(AppFactory app, MediaKind kind = MediaKind.Movie, IJobProgress? progress = null, CancellationToken ct = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<EmbeddingService>().GenerateAsync(kind, progress ?? NullJobProgress.Instance, ct);
    }

    private static Task<string?> ActiveKeyAsync(AppFactory app) => app.WithDbAsync(async db =>
        (await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == SettingKeys.ActiveEmbeddingModel(MediaKind.Movie).Key))?.Value);

    [Fact]
    public async Task The_embedding_job_gives_every_title_a_vector_and_more_like_this_finds_its_family_without_its_copies()
    {
        var (app, user, server) = await StartAsync();
        await using var _ = app;
        await using var __ = server;
        var ids = await SeedAsync(app, filler: 20);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var definition = scope.ServiceProvider.GetServices<JobDefinition>().Single(d => d.Name == JobNames.GenerateEmbeddings);
            var job = (IJob)scope.ServiceProvider.GetRequiredService(definition.Implementation);
            await job.RunAsync(new JobContext(1, definition, NullJobProgress.Instance), CancellationToken.None);
        }

        Assert.Equal(ids.Count, await app.WithDbAsync(db => db.TitleEmbeddings.CountAsync()));
        Assert.StartsWith("local:", await ActiveKeyAsync(app), StringComparison.Ordinal);

        var similar = await user.GetFromJsonAsync<List<SimilarTitle>>($"/api/movies/{ids["Alien"]}/similar?k=3");
        Assert.NotNull(similar);
        Assert.Equal(["Aliens", "Prometheus"], similar.Take(2).Select(s => s.Name).Order());
        Assert.DoesNotContain(similar, s => s.Name.StartsWith("Alien (", StringComparison.Ordinal) || s.Name == "Alien");
        var romance = await user.GetFromJsonAsync<List<SimilarTitle>>($"/api/movies/{ids["Notting Hill"]}/similar?k=2");
        Assert.All(romance!, s => Assert.Contains(s.Name, new[] { "Love Actually", "About Time" }));

        // The title page's "More like this" row, as htmx loads it.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/browse/movies/{ids["Alien"]}?handler=Similar");
        request.Headers.Add("HX-Request", "true");
        var fragment = await (await user.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("<html", fragment, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Aliens", fragment, StringComparison.Ordinal);
        Assert.Contains($"href=\"/browse/movies/{ids["Prometheus"]}\"", fragment, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync("/api/movies/999999/similar")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync($"/api/series/{ids["Alien"]}/similar")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await user.GetAsync($"/api/movies/{ids["Alien"]}/similar?k=0")).StatusCode);
    }

    [Fact]
    public async Task A_rerun_embeds_only_changed_titles_and_a_grown_catalogue_refits_everything()
    {
        var (app, _, server) = await StartAsync();
        await using var __ = app;
        await using var ___ = server;
        var ids = await SeedAsync(app, filler: 20);

        var first = await RunAsync(app);
        Assert.Equal((27, 27), (first.Titles, first.Embedded));
        Assert.Equal(0, (await RunAsync(app)).Embedded);

        await app.WithDbAsync(db => db.Titles.Where(t => t.Id == ids["Aliens"]).ExecuteUpdateAsync(s => s.SetProperty(t => t.Overview, "A new cut.")));
        var third = await RunAsync(app);
        Assert.Equal((1, first.ModelKey), (third.Embedded, third.ModelKey));

        // 30% more titles: the fitted vocabulary is stale, so the model is refitted and everything re-embedded.
        await app.WithDbAsync(async db =>
        {
            for (var i = 0; i < 9; i++)
            {
                db.Titles.Add(new Title { Kind = MediaKind.Movie, ServerItemId = $"new{i}", LibraryId = "lib-movies", Name = $"New {i}", Genres = ["Horror"], Tags = ["creature"] });
            }
            return await db.SaveChangesAsync();
        });
        var refit = await RunAsync(app);
        Assert.NotEqual(first.ModelKey, refit.ModelKey);
        Assert.Equal(36, refit.Embedded);
        Assert.Equal(refit.ModelKey, await ActiveKeyAsync(app));
        Assert.Equal([refit.ModelKey], await app.WithDbAsync(db => db.TitleEmbeddings.Select(e => e.ModelKey).Distinct().ToListAsync()));
    }

    [Fact]
    public async Task A_catalogue_larger_than_a_read_page_is_embedded_whole_and_only_its_own_kind()
    {
        var (app, _, server) = await StartAsync();
        await using var __ = app;
        await using var ___ = server;
        // Two full pages and one title more, with series among them that the movies run must leave alone.
        var ids = await SeedAsync(app, filler: 2 * EmbeddingService.ReadPageSize + 1 - 7);
        await app.WithDbAsync(async db =>
        {
            db.Libraries.Add(new Library { Id = "lib-shows", Name = "Shows", Kind = MediaKind.Series, Enabled = true });
            for (var i = 0; i < 3; i++)
            {
                db.Titles.Add(new Title { Kind = MediaKind.Series, ServerItemId = $"show{i}", LibraryId = "lib-shows", Name = $"Show {i}", Genres = ["Drama"] });
            }
            return await db.SaveChangesAsync();
        });

        var run = await RunAsync(app);

        Assert.Equal((ids.Count, ids.Count), (run.Titles, run.Embedded));
        Assert.Equal(2 * EmbeddingService.ReadPageSize + 1, ids.Count);
        var embedded = await app.WithDbAsync(db => db.TitleEmbeddings.Select(e => e.TitleId).ToListAsync());
        Assert.Equal(ids.Values.Order(), embedded.Order());
    }

    private sealed class CancelAfterFirstBatch(CancellationTokenSource cts) : IJobProgress
    {
        public void Stage(string name, long? total = null) { }
        public void SetTotal(long? total) { }
        public void Advance(long by = 1, string? message = null) => cts.Cancel();
        public void Count(string name, long by = 1) { }
        public void Log(string text, JobLogLevel level = JobLogLevel.Info) { }
    }

    [Fact]
    public async Task Switching_model_keeps_the_old_vectors_searchable_until_the_new_set_is_complete_and_never_mixes_sizes()
    {
        var (app, user, server) = await StartAsync();
        await using var _ = app;
        await using var __ = server;
        await using var ollama = await FakeOpenAiServer.StartAsync(dimensions: 32, apiKey: null);
        var ids = await SeedAsync(app, filler: 150);
        var local = await RunAsync(app);

        var admin = await app.SignedInClientAsync("Admin", "pw");
        var patch = await admin.PatchAsJsonAsync("/api/settings/embedding-model", new { provider = "compatible", model = "nomic-embed-text", baseUrl = ollama.BaseUrl });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);

        // Cancelled after the first batch of 64: those stay, the old set stays active.
        using (var cts = new CancellationTokenSource())
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(app, progress: new CancelAfterFirstBatch(cts), ct: cts.Token));
        }
        const string newKey = "compatible:nomic-embed-text:t1";
        Assert.Equal(64, await app.WithDbAsync(db => db.TitleEmbeddings.CountAsync(e => e.ModelKey == newKey)));
        Assert.Equal(local.ModelKey, await ActiveKeyAsync(app));

        // Failing halfway (the server errors, retried once): still the old set, and searches still work on it.
        ollama.Enqueue(OpenAiFault.Http(500), OpenAiFault.Http(500));
        var failure = await Assert.ThrowsAsync<EmbeddingProviderException>(() => RunAsync(app));
        Assert.Contains("HTTP 500", failure.Message, StringComparison.Ordinal);
        Assert.Equal(local.ModelKey, await ActiveKeyAsync(app));
        var during = await user.GetFromJsonAsync<List<SimilarTitle>>($"/api/movies/{ids["Alien"]}/similar?k=2");
        Assert.Equal(2, during!.Count);
        // A run asking for one model's vectors gets that model's, whichever set is active: the active one from the index (on
        // SQLite the arrays it holds), another as stored.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var index = scope.ServiceProvider.GetRequiredService<IVectorIndex>();
            var localDimensions = await app.WithDbAsync(db => db.TitleEmbeddings.Where(e => e.ModelKey == local.ModelKey).Select(e => e.Dimensions).FirstAsync());
            var active = await index.VectorsAsync(MediaKind.Movie, local.ModelKey, ids.Values, CancellationToken.None);
            Assert.Equal(ids.Count, active.Count);
            Assert.All(active.Values, v => Assert.Equal(localDimensions, v.Length));
            var unfinished = await index.VectorsAsync(MediaKind.Movie, newKey, ids.Values, CancellationToken.None);
            Assert.Equal(64, unfinished.Count);
            Assert.All(unfinished.Values, v => Assert.Equal(32, v.Length));
        }

        // Completing the run switches: only the remaining titles are sent, the old set is dropped.
        var callsBefore = ollama.Calls.Where(c => c.Status == 200).Sum(c => c.Inputs);
        var done = await RunAsync(app);
        Assert.Equal(newKey, done.ModelKey);
        Assert.Equal(ids.Count - 64, ollama.Calls.Where(c => c.Status == 200).Sum(c => c.Inputs) - callsBefore);
        Assert.Equal(newKey, await ActiveKeyAsync(app));
        Assert.Equal([32], await app.WithDbAsync(db => db.TitleEmbeddings.Select(e => e.Dimensions).Distinct().ToListAsync()));
        var after = await user.GetFromJsonAsync<List<SimilarTitle>>($"/api/movies/{ids["Alien"]}/similar?k=2");
        Assert.Equal(2, after!.Count);
    }

    [Fact]
    public async Task Pgvector_hnsw_agrees_with_the_exact_index_on_the_same_vectors()
    {
        if (!TestDatabase.IsPostgres)
        {
            Assert.Skip("pgvector runs only in the PostgreSQL pass of ./test.sh");
        }
        var (app, _, server) = await StartAsync();
        await using var __ = app;
        await using var ___ = server;
        const int n = 3000, dims = 48;
        var random = new Random(11);
        var vectors = new List<(long, float[])>();
        await app.WithDbAsync(async db =>
        {
            db.Libraries.Add(new Library { Id = "lib", Name = "Movies", Kind = MediaKind.Movie, Enabled = true });
            var titles = Enumerable.Range(0, n).Select(i => new Title { Kind = MediaKind.Movie, ServerItemId = $"t{i}", LibraryId = "lib", Name = $"T{i}" }).ToList();
            db.Titles.AddRange(titles);
            await db.SaveChangesAsync();
            foreach (var t in titles)
            {
                var v = Enumerable.Range(0, dims).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
                TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
                vectors.Add((t.Id, v));
                db.TitleEmbeddings.Add(new TitleEmbedding { TitleId = t.Id, Kind = MediaKind.Movie, ModelKey = "test:random", Dimensions = dims, ContentHash = "x", Vector = v });
            }
            await db.SaveChangesAsync();
            await db.Database.ExecuteSqlRawAsync(
                $"CREATE INDEX \"{PgVectorSql.IndexName(MediaKind.Movie, "test:random")}\" ON title_embeddings USING hnsw ((\"Vector\"::vector({dims})) vector_cosine_ops) WHERE \"ModelKey\" = 'test:random'");
            db.Settings.Add(new Aperture.Data.Setting { Key = SettingKeys.ActiveEmbeddingModel(MediaKind.Movie).Key, Value = "test:random" });
            return await db.SaveChangesAsync();
        });

        var exact = new ExactVectorIndex(dims, vectors);
        await using var scope = app.Services.CreateAsyncScope();
        var index = scope.ServiceProvider.GetRequiredService<IVectorIndex>();
        Assert.IsType<PgVectorIndex>(index);
        var queries = vectors.Take(40).Select(v => v.Item2).ToList();
        var exclude = vectors.Take(200).Select(v => v.Item1).ToHashSet();
        var filters = queries.Select(_ => new VectorFilter(Exclude: exclude)).ToList();
        var approximate = await index.NearestBatchAsync(MediaKind.Movie, queries, 10, filters, CancellationToken.None);
        double found = 0;
        for (var q = 0; q < queries.Count; q++)
        {
            var truth = exact.Nearest(queries[q], 10, id => !exclude.Contains(id)).Select(h => h.Id).ToHashSet();
            Assert.Equal(10, approximate[q].Count);
            Assert.DoesNotContain(approximate[q], h => exclude.Contains(h.Id));
            found += approximate[q].Count(h => truth.Contains(h.Id));
        }
        Assert.True(found / (queries.Count * 10) >= 0.95, $"recall@10 {found / (queries.Count * 10):F3}");
    }

    [Fact]
    public async Task Models_over_2000_dimensions_are_indexed_as_halfvec_on_postgresql()
    {
        if (!TestDatabase.IsPostgres)
        {
            Assert.Skip("pgvector runs only in the PostgreSQL pass of ./test.sh");
        }
        var (app, user, server) = await StartAsync();
        await using var _ = app;
        await using var __ = server;
        // text-embedding-3-large's size: HNSW on vector stops at 2,000 dimensions.
        await using var openai = await FakeOpenAiServer.StartAsync(dimensions: 3072, apiKey: null);
        var ids = await SeedAsync(app);
        var admin = await app.SignedInClientAsync("Admin", "pw");
        await admin.PatchAsJsonAsync("/api/settings/embedding-model", new { provider = "compatible", model = "big-model", baseUrl = openai.BaseUrl });

        var result = await RunAsync(app);
        Assert.Equal(ids.Count, result.Embedded);
        var definition = await app.WithDbAsync(db => db.Database.SqlQueryRaw<string>(
            "SELECT indexdef AS \"Value\" FROM pg_indexes WHERE tablename = 'title_embeddings' AND indexname LIKE 'ix_emb_movies_%'").SingleAsync());
        Assert.Contains("halfvec(3072)", definition, StringComparison.Ordinal);
        Assert.Contains("halfvec_cosine_ops", definition, StringComparison.Ordinal);
        var similar = await user.GetFromJsonAsync<List<SimilarTitle>>($"/api/movies/{ids["Alien"]}/similar?k=3");
        Assert.Equal(3, similar!.Count);
    }
}
