using Aperture.Data;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Progress;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Tests.Sync;

public sealed class BulkInsertTests
{
    private static readonly string[] Tricky = ["Sci-Fi & <Fantasy>", "Ça \"cité\" 🎬", @"back\slash", "tab\there", "日本語"];

    // The sync writes new titles without EF (BulkInsert) and its JSON columns with its own writer: the text stored must be what
    // EF itself stores for the same title, escapes included, or two copies of one title would read back differently.
    [Fact]
    public async Task A_bulk_inserted_title_stores_its_json_columns_as_the_same_text_EF_stores()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeServerVersion.Jellyfin10_11, b =>
        {
            b.User("Admin", "pw", admin: true);
            b.Movie("Alien", 1979, genres: [.. Tricky], tags: [.. Tricky], studios: [.. Tricky],
                people: [FakePerson.Actor("Sigourney \"Siggy\" Weaver", "Ripley <3"), FakePerson.Director("Ridley Scott é")],
                with: i => { foreach (var tagline in Tricky) { i.Taglines.Add(tagline); } });
        });
        await using var app = await CatalogSyncTests.ConnectedAppAsync(server);
        await app.RunJobAsync(JobNames.SyncMovies);

        var bulk = await app.WithDbAsync(db => db.Titles.AsNoTracking().SingleAsync());
        Assert.Equal(Tricky, bulk.Genres);
        Assert.Equal(2, bulk.People.Count);
        await app.WithDbAsync(async db =>
        {
            db.Titles.Add(new Title
            {
                Kind = bulk.Kind, ServerItemId = "ef-copy", LibraryId = bulk.LibraryId, Name = bulk.Name, SyncedAt = bulk.SyncedAt,
                Genres = [.. bulk.Genres], Tags = [.. bulk.Tags], Studios = [.. bulk.Studios], Taglines = [.. bulk.Taglines],
                People = [.. bulk.People.Select(p => new TitlePerson { Name = p.Name, Role = p.Role, Type = p.Type })],
            });
            return await db.SaveChangesAsync();
        });

        foreach (var column in new[] { "Genres", "Tags", "Studios", "Taglines", "People" })
        {
            var texts = await app.WithDbAsync(db => db.Database
                .SqlQueryRaw<string>($"SELECT CAST(\"{column}\" AS TEXT) AS \"Value\" FROM titles ORDER BY \"ServerItemId\" = 'ef-copy'")
                .ToListAsync());
            Assert.Equal(2, texts.Count);
            Assert.Equal(texts[1], texts[0]);
        }
    }
}
