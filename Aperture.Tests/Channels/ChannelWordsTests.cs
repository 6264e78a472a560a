using Aperture.Catalog;
using Aperture.Channels;
using Aperture.Data;
using Aperture.Embeddings;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Aperture.Progress;

namespace Aperture.Tests.Channels;

// The words of a channel understood against the catalogue: synonyms, what the catalogue teaches, and whys that name
// only what is there.
public sealed class ChannelWordsTests
{
    private static VocabularyDocument Doc(long id, string name, string[] genres, string[] tags, string overview, int year = 1990) =>
        new(id, name, year, genres, tags, [], [], overview, []);

    // Filler titles whose words and labels are of no query here.
    private static IEnumerable<VocabularyDocument> Filler(int from, int count) => Enumerable.Range(from, count).Select(i =>
        Doc(i, $"Filler {i}", [i % 2 == 0 ? "Drama" : "Comedy"], [i % 3 == 0 ? "family" : "office"], $"A quiet office worker {i} meets a neighbour."));

    [Fact]
    public void A_mood_word_reaches_its_genre_only_through_the_synonyms()
    {
        var docs = Enumerable.Range(1, 5).Select(i => Doc(i, $"Cellar {i}", ["Horror"], [], $"Something lives in the cellar of house {i}."))
            .Concat(Filler(100, 40)).ToList();
        Assert.DoesNotContain(docs, d => d.Overview!.Contains("scary", StringComparison.OrdinalIgnoreCase));
        var vocabulary = CatalogVocabulary.Build(docs);

        var hits = vocabulary.Rank(vocabulary.Interpret("something scary for tonight"));

        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i).Order(), hits.Take(5).Select(h => h.Id).Order());
        Assert.Contains("genre Horror (for \u201Cscary\u201D)", hits[0].Reasons);
    }

    [Fact]
    public void A_word_no_title_of_a_label_uses_reaches_it_through_catalogue_cooccurrence()
    {
        // Five zombie films say "undead"; the sixth never does, and nothing says "undead" about it.
        var docs = Enumerable.Range(1, 5).Select(i => Doc(i, $"Dead Town {i}", ["Horror"], ["zombie"], $"The undead rise in town {i}."))
            .Append(Doc(6, "Quiet Mall", ["Horror"], ["zombie"], "Shoppers barricade a mall against a shambling crowd."))
            .Append(Doc(7, "Other Mall", ["Comedy"], ["shopping"], "Shoppers queue at a mall for a sale."))
            .Concat(Filler(100, 60)).ToList();
        var vocabulary = CatalogVocabulary.Build(docs);

        var query = vocabulary.Interpret("undead");
        var hits = vocabulary.Rank(query, feedback: false);

        Assert.Contains(query.Labels, l => l.Display == "zombie" && l.Kind == "keyword" && l.Source == LabelSource.Learnt);
        var quiet = Assert.Single(hits, h => h.Id == 6);
        Assert.Contains("keyword \u201Czombie\u201D (the catalogue links it to \u201Cundead\u201D)", quiet.Reasons);
        Assert.DoesNotContain(hits, h => h.Id == 7);
        Assert.True(hits.FindIndex(h => h.Id == 6) < 6, string.Join(", ", hits.Select(h => h.Id)));
    }

    [Fact]
    public void Phrases_fold_plurals_and_punctuation_and_a_rare_keyword_does_not_outweigh_a_genre()
    {
        var docs = Enumerable.Range(1, 12).Select(i => Doc(i, $"Shadow {i}", ["Film-Noir", "Crime"], [], $"A private eye {i} takes a case."))
            .Append(Doc(13, "Old Musical", ["Musical"], ["classic"], "A classic song and dance."))
            .Append(Doc(14, "Older Musical", ["Musical"], ["classic"], "Another classic of song."))
            .Concat(Filler(100, 200)).ToList();
        var vocabulary = CatalogVocabulary.Build(docs);

        var hits = vocabulary.Rank(vocabulary.Interpret("Classic FILM NOIRS"));

        Assert.All(hits.Take(12), h => Assert.InRange(h.Id, 1, 12));
        Assert.Contains("genre Film-Noir", hits[0].Reasons);
    }

    // Property: over many queries made from the catalogue's own words, every returned title carries something the
    // query matched, and each keyword or genre its why names is one the title has.
    [Fact]
    public void Every_why_names_only_labels_and_words_the_title_has()
    {
        var random = new Random(13);
        string[] genres = ["Horror", "Comedy", "Drama", "Western", "Animation", "Film-Noir", "Sci-Fi"];
        string[] tags = ["zombie", "time travel", "heist", "vampire", "high school", "space", "robot", "ghost", "sheriff"];
        string[] words = ["rain", "city", "ship", "night", "love", "killer", "town", "planet", "school", "money", "blood", "family"];
        var docs = Enumerable.Range(1, 300).Select(i => Doc(i, $"Title {i}",
            genres.OrderBy(_ => random.Next()).Take(random.Next(1, 3)).ToArray(),
            tags.OrderBy(_ => random.Next()).Take(random.Next(0, 3)).ToArray(),
            string.Join(' ', Enumerable.Range(0, 12).Select(_ => words[random.Next(words.Length)])), 1950 + random.Next(70))).ToList();
        var vocabulary = CatalogVocabulary.Build(docs);
        var byId = docs.ToDictionary(d => d.Id);
        var vocabularyWords = genres.Concat(tags).Concat(words).Concat(["scary", "funny", "cartoon", "80s", "undead", "noir", "cowboys"]).ToArray();
        for (var q = 0; q < 200; q++)
        {
            var text = string.Join(' ', Enumerable.Range(0, random.Next(1, 4)).Select(_ => vocabularyWords[random.Next(vocabularyWords.Length)]));
            foreach (var hit in vocabulary.Rank(vocabulary.Interpret(text)).Take(20))
            {
                var d = byId[hit.Id];
                Assert.NotEmpty(hit.Reasons);
                foreach (var reason in hit.Reasons)
                {
                    if (reason.StartsWith("genre ", StringComparison.Ordinal))
                    {
                        Assert.Contains(d.Genres, g => reason.StartsWith("genre " + g, StringComparison.Ordinal));
                    }
                    else if (reason.StartsWith("keyword \u201C", StringComparison.Ordinal))
                    {
                        Assert.Contains(d.Tags, t => reason.StartsWith($"keyword \u201C{t}\u201D", StringComparison.Ordinal));
                    }
                    else if (reason.StartsWith("the word", StringComparison.Ordinal))
                    {
                        foreach (var word in reason.Split('\u201C').Skip(1).Select(p => p[..p.IndexOf('\u201D', StringComparison.Ordinal)]))
                        {
                            Assert.True(word.Split(' ').All(w => CatalogVocabulary.Tokens(d.Overview + " " + d.Name).Contains(w)), $"{text}: {reason} on {d.Overview}");
                        }
                    }
                    else
                    {
                        Assert.StartsWith("from the ", reason, StringComparison.Ordinal);
                    }
                }
            }
        }
    }
}

// The genre filters on a stored catalogue: applied before the cut, spelled as the catalogue spells them.
public sealed class ChannelGenreFilterTests : IAsyncLifetime
{
    private readonly AppFactory app = new();

    public async ValueTask InitializeAsync()
    {
        await app.WithDbAsync(async db =>
        {
            db.Libraries.Add(new Library { Id = "lib", Name = "Movies", Kind = MediaKind.Movie, Enabled = true });
            // 30 noir films among 150 others whose words are all about something else.
            for (var i = 0; i < 180; i++)
            {
                var noir = i < 30;
                db.Titles.Add(new Title
                {
                    Kind = MediaKind.Movie, ServerItemId = $"t{i}", LibraryId = "lib", Name = noir ? $"Shadow {i}" : $"Sunny {i}", Year = 1940 + i % 60,
                    Genres = noir ? ["Film-Noir", "Crime"] : [i % 2 == 0 ? "Comedy" : "Family"],
                    Tags = noir ? ["private eye"] : ["beach", "holiday"],
                    Overview = noir ? $"A private eye {i} and a femme fatale." : (i % 3) switch
                    {
                        0 => $"Classic seaside fun with a family {i}.",
                        1 => $"A mountain picnic goes wrong {i}.",
                        _ => $"The city parade of year {i}.",
                    },
                    TmdbId = $"t{i}", CommunityRating = 7,
                });
            }
            return await db.SaveChangesAsync();
        });
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<EmbeddingService>().GenerateAsync(MediaKind.Movie, NullJobProgress.Instance, CancellationToken.None);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Only_a_genre_fills_the_channel_from_all_its_titles_whatever_the_words_are_near()
    {
        await app.WithDbAsync(async db =>
        {
            db.Users.Add(new AppUser { Id = "ann", Name = "ann", CreatedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });
        await using var scope = app.Services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<ChannelService>();
        // The words are the sunny films' words: the nearest titles by vector are none of the noir ones.
        var (channel, errors) = await service.CreateAsync("ann", new ChannelInput(Name: "Noir", Kind: "movies", Preference: "classic seaside fun",
            IncludeGenres: ["film noir"], Size: 20), CancellationToken.None);
        Assert.Empty(errors);
        Assert.Equal(["Film-Noir"], channel!.IncludeGenres);

        await service.GenerateAsync(channel, CancellationToken.None);

        Assert.Equal(20, channel.Entries.Count);
        Assert.All(channel.Entries, e => Assert.Contains("Film-Noir", e.Title.Genres));
        Assert.All(channel.Entries, e => Assert.DoesNotContain("seaside", e.Why, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_genre_the_catalogue_lacks_is_an_error_naming_it_and_the_nearest()
    {
        await app.WithDbAsync(async db =>
        {
            db.Users.Add(new AppUser { Id = "bea", Name = "bea", CreatedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });
        await using var scope = app.Services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<ChannelService>();

        var (channel, errors) = await service.CreateAsync("bea", new ChannelInput(Name: "Noir", Kind: "movies", Preference: "noir",
            ExcludeGenres: ["Comdy", "Family"]), CancellationToken.None);

        Assert.Null(channel);
        Assert.Equal("This catalogue has no genre \u201CComdy\u201D; the nearest are Comedy, Crime, Family.", errors["excludeGenres"]);
        Assert.Equal(0, await app.WithDbAsync(db => db.Channels.CountAsync()));
    }
}
