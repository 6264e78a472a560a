using System.Text;
using System.Xml.Linq;
using Aperture.Data;
using Aperture.Outputs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aperture.Tests.Outputs;

// Each test gets a temp folder holding "media" (the server's files, outside the root) and "out" (the output root).
public sealed class LibraryWriterTests : IDisposable
{
    private const string MovieId = "aaaaaaaa11112222333344445555abcd";
    private const string SeriesId = "bbbbbbbb11112222333344445555abcd";

    private readonly string _temp = Directory.CreateTempSubdirectory("aperture-out-").FullName;
    private readonly OutputLibrary _library = OutputLibrary.ForUser("AI Picks - ", "alice", "a11ce000", MediaKind.Movie);

    public LibraryWriterTests()
    {
        Directory.CreateDirectory(Media);
    }

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private string Media => Path.Combine(_temp, "media");
    private string Root => Path.Combine(_temp, "out");
    private string LibraryPath => Path.Combine(Root, "AI Picks - alice [a11ce000]", "movies");

    private LibraryWriter Writer(string? mapping = null, string? serverRoot = null)
    {
        var options = new OutputOptions { StrmRoot = Root, LibraryRoot = mapping, LibraryPathPrefix = serverRoot };
        return new LibraryWriter(options, NullLogger<LibraryWriter>.Instance);
    }

    private string MediaFile(string relative, string content = "video")
    {
        var path = Path.Combine(Media, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    private static OutputEntry Movie(int rank, string id, string title, int? year, string? path, string? overview = "A plot.",
        string? why = "Because you watched Alien.", string? imdb = null, string? tmdb = null) =>
        new(rank, MediaKind.Movie, id, title, year, overview, imdb, tmdb, null, path, [], why);

    private static OutputEntry Series(int rank, string id, string title, int? year, string? path, IReadOnlyList<EpisodeEntry>? episodes = null) =>
        new(rank, MediaKind.Series, id, title, year, "A show.", null, null, "81189", path, episodes ?? [], "Because you watched Lost.");

    private sealed class Urls(int failAfter = int.MaxValue, Action? onFail = null) : IStreamUrlBuilder
    {
        private int _calls;

        public string StreamUrl(string serverItemId, string? serverPath)
        {
            if (++_calls > failAfter)
            {
                onFail?.Invoke();
                throw new InvalidOperationException("stream URL builder failed");
            }
            return $"http://jf:8096/Videos/{serverItemId}/stream?static=true&mediaSourceId={serverItemId}";
        }
    }

    // Everything under a folder, links by target and files by content, without following links.
    private static SortedDictionary<string, string> Snapshot(string folder)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Walk(string dir)
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
            {
                var key = Path.GetRelativePath(folder, entry);
                var info = new FileInfo(entry);
                if (info.LinkTarget is { } target)
                {
                    result[key] = "-> " + target;
                }
                else if (Directory.Exists(entry))
                {
                    result[key] = "dir";
                    Walk(entry);
                }
                else
                {
                    result[key] = Convert.ToBase64String(File.ReadAllBytes(entry));
                }
            }
        }
        Walk(folder);
        return result;
    }

    private static IEnumerable<string> Hidden(string folder) =>
        Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Where(p => Path.GetFileName(p).StartsWith('.'));

    private static XElement ReadNfo(string path) => XDocument.Load(path).Root!;

    [Fact]
    public async Task Symlink_movie_links_the_video_its_subtitles_and_artwork_and_writes_an_nfo()
    {
        var video = MediaFile("movies/Heat (1995)/Heat.mkv");
        MediaFile("movies/Heat (1995)/Heat.en.srt");
        MediaFile("movies/Heat (1995)/Heat-poster.jpg");
        MediaFile("movies/Heat (1995)/poster.jpg");
        MediaFile("movies/Heat (1995)/Heat.nfo");
        MediaFile("movies/Heat (1995)/notes.txt");

        var result = await Writer().WriteAsync(_library, [Movie(1, MovieId, "Heat", 1995, video, imdb: "tt0113277")], OutputMode.Symlink, null, default);

        var title = Path.Combine(LibraryPath, "Heat (1995) [aaaaaaaa]");
        var dir = Path.GetDirectoryName(video)!;
        Assert.Equal(new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["Heat (1995) [aaaaaaaa]"] = "dir",
            ["Heat (1995) [aaaaaaaa]/Heat (1995) [aaaaaaaa].mkv"] = "-> " + video,
            ["Heat (1995) [aaaaaaaa]/Heat (1995) [aaaaaaaa].en.srt"] = "-> " + Path.Combine(dir, "Heat.en.srt"),
            ["Heat (1995) [aaaaaaaa]/Heat (1995) [aaaaaaaa]-poster.jpg"] = "-> " + Path.Combine(dir, "Heat-poster.jpg"),
            ["Heat (1995) [aaaaaaaa]/poster.jpg"] = "-> " + Path.Combine(dir, "poster.jpg"),
            ["Heat (1995) [aaaaaaaa]/movie.nfo"] = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(title, "movie.nfo"))),
        }, Snapshot(LibraryPath));
        Assert.Equal("video", await File.ReadAllTextAsync(Path.Combine(title, "Heat (1995) [aaaaaaaa].mkv")));
        Assert.Equal((1, 5, 0, LibraryPath, LibraryPath, true), (result.ItemCount, result.FilesWritten, result.Skipped.Count, result.LocalPath, result.ServerPath, result.Changed));
        Assert.Empty(Hidden(Root));
    }

    [Fact]
    public async Task Folder_artwork_is_not_linked_when_the_folder_holds_several_movies()
    {
        var heat = MediaFile("flat/Heat.mkv");
        MediaFile("flat/Alien.mkv");
        MediaFile("flat/poster.jpg");
        await Writer().WriteAsync(_library, [Movie(1, MovieId, "Heat", 1995, heat)], OutputMode.Symlink, null, default);
        Assert.DoesNotContain(Snapshot(LibraryPath).Keys, k => k.EndsWith("poster.jpg", StringComparison.Ordinal) || k.Contains("Alien", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Symlinks_point_at_the_server_path_and_the_library_is_reported_as_the_server_sees_it()
    {
        MediaFile("movies/Heat/Heat.mkv");
        MediaFile("movies/Heat/Heat.srt");
        var writer = Writer(mapping: $"/media={Media}", serverRoot: "/aperture");

        var result = await writer.WriteAsync(_library, [Movie(1, MovieId, "Heat", 1995, "/media/movies/Heat/Heat.mkv")], OutputMode.Symlink, null, default);

        var snapshot = Snapshot(LibraryPath);
        Assert.Equal("-> /media/movies/Heat/Heat.mkv", snapshot["Heat (1995) [aaaaaaaa]/Heat (1995) [aaaaaaaa].mkv"]);
        Assert.Equal("-> /media/movies/Heat/Heat.srt", snapshot["Heat (1995) [aaaaaaaa]/Heat (1995) [aaaaaaaa].srt"]);
        Assert.Equal("/aperture/AI Picks - alice [a11ce000]/movies", result.ServerPath);
        Assert.Equal(LibraryPath, result.LocalPath);
    }

    [Fact]
    public async Task Symlink_series_links_each_season_folder_beside_its_own_tvshow_nfo()
    {
        var show = Path.Combine(Media, "tv", "Lost");
        MediaFile("tv/Lost/Season 01/Lost S01E01.mkv");
        MediaFile("tv/Lost/Season 02/Lost S02E01.mkv");
        MediaFile("tv/Lost/poster.jpg");
        MediaFile("tv/Lost/tvshow.nfo", "<tvshow>the server's own</tvshow>");
        MediaFile("tv/Lost/.DS_Store");
        var library = OutputLibrary.ForUser("AI Picks - ", "alice", "a11ce000", MediaKind.Series);

        var result = await Writer().WriteAsync(library, [Series(1, SeriesId, "Lost", 2004, show)], OutputMode.Symlink, null, default);

        var seriesPath = Path.Combine(Root, "AI Picks - alice [a11ce000]", "series");
        var snapshot = Snapshot(seriesPath);
        Assert.Equal(
            ["Lost (2004) [bbbbbbbb]", "Lost (2004) [bbbbbbbb]/Season 01", "Lost (2004) [bbbbbbbb]/Season 02", "Lost (2004) [bbbbbbbb]/poster.jpg", "Lost (2004) [bbbbbbbb]/tvshow.nfo"],
            snapshot.Keys);
        Assert.Equal("-> " + Path.Combine(show, "Season 01"), snapshot["Lost (2004) [bbbbbbbb]/Season 01"]);
        Assert.True(File.Exists(Path.Combine(seriesPath, "Lost (2004) [bbbbbbbb]", "Season 02", "Lost S02E01.mkv")));
        var nfo = ReadNfo(Path.Combine(seriesPath, "Lost (2004) [bbbbbbbb]", "tvshow.nfo"));
        Assert.Equal("tvshow", nfo.Name.LocalName);
        Assert.Equal("81189", nfo.Element("tvdbid")!.Value);
        Assert.Equal(4, result.FilesWritten);

        // Rewriting and deleting unlink the season folders; the episodes themselves stay.
        await Writer().WriteAsync(library, [Series(1, SeriesId, "Lost", 2004, show) with { Title = "LOST" }], OutputMode.Symlink, null, default);
        Assert.True(await Writer().DeleteLibraryAsync(library, default));
        Assert.True(File.Exists(Path.Combine(show, "Season 01", "Lost S01E01.mkv")));
        Assert.True(File.Exists(Path.Combine(show, "tvshow.nfo")));
        Assert.False(Directory.Exists(seriesPath));
    }

    [Fact]
    public async Task Strm_movie_is_one_file_with_the_stream_url()
    {
        var result = await Writer().WriteAsync(_library, [Movie(1, MovieId, "Heat", 1995, null)], OutputMode.Strm, new JellyfinStreamUrlBuilder("http://jf:8096/"), default);

        var strm = Path.Combine(LibraryPath, "Heat (1995) [aaaaaaaa]", "Heat (1995) [aaaaaaaa].strm");
        Assert.Equal($"http://jf:8096/Videos/{MovieId}/stream?static=true&mediaSourceId={MovieId}\n", await File.ReadAllTextAsync(strm));
        Assert.Equal(["Heat (1995) [aaaaaaaa]", "Heat (1995) [aaaaaaaa]/Heat (1995) [aaaaaaaa].strm", "Heat (1995) [aaaaaaaa]/movie.nfo"], Snapshot(LibraryPath).Keys);
        Assert.Equal((1, 2), (result.ItemCount, result.FilesWritten));
    }

    [Fact]
    public async Task Strm_series_writes_one_file_per_episode_in_season_folders()
    {
        var library = OutputLibrary.ForUser("AI Picks - ", "alice", "a11ce000", MediaKind.Series);
        EpisodeEntry[] episodes =
        [
            new("ep2", 1, 2, "Pilot (2)"), new("ep1", 1, 1, "Pilot (1)"), new("ep3", 2, 1, "Man of Science"),
            new("ep0", 0, 1, "The Journey"), new("epx", 1, 1, "Pilot (alternate cut)"), new("epu", 3, null, "Unnumbered"),
            new("epn", null, null, "Loose: Episode"),
        ];
        await Writer().WriteAsync(library, [Series(1, SeriesId, "Lost", 2004, null, episodes)], OutputMode.Strm,
            new EmbyStreamUrlBuilder("http://emby:8096", "k&y"), default);

        var seriesPath = Path.Combine(Root, "AI Picks - alice [a11ce000]", "series", "Lost (2004) [bbbbbbbb]");
        var files = Snapshot(seriesPath).Where(kv => kv.Value != "dir").Select(kv => kv.Key).ToList();
        Assert.Equal(
        [
            "Loose - Episode.strm", "Season 00/S00E01.strm", "Season 01/S01E01 [epx].strm", "Season 01/S01E01.strm", "Season 01/S01E02.strm",
            "Season 02/S02E01.strm", "Season 03/Unnumbered.strm", "tvshow.nfo",
        ], files);
        Assert.Equal("http://emby:8096/emby/Videos/ep1/stream.mkv?Static=true&api_key=k%26y\n",
            await File.ReadAllTextAsync(Path.Combine(seriesPath, "Season 01", "S01E01.strm")));
    }

    [Fact]
    public async Task A_series_without_episodes_is_skipped_in_strm_mode()
    {
        var library = OutputLibrary.ForUser("AI Picks - ", "alice", "a11ce000", MediaKind.Series);
        var result = await Writer().WriteAsync(library, [Series(1, SeriesId, "Lost", 2004, null), Series(2, "s2", "Dark", 2017, null, [new("e1", 1, 1, "Secrets")])],
            OutputMode.Strm, new Urls(), default);
        var skipped = Assert.Single(result.Skipped);
        Assert.Equal((SeriesId, "no episodes are known for it"), (skipped.ServerItemId, skipped.Reason));
        Assert.Equal(1, result.ItemCount);
    }

    [Fact]
    public async Task Nfos_carry_the_rank_in_sort_title_and_date_added_so_the_library_sorts_in_pick_order()
    {
        var picks = Enumerable.Range(1, 12).Select(r => Movie(r, $"id{r:D2}", $"Film {(char)('Z' - r)}", 2000 + r, null)).Reverse().ToList();
        await Writer().WriteAsync(_library, picks, OutputMode.Strm, new Urls(), default);

        var nfos = Directory.GetDirectories(LibraryPath).Select(d => ReadNfo(Path.Combine(d, "movie.nfo"))).ToList();
        var bySortTitle = nfos.OrderBy(n => n.Element("sorttitle")!.Value, StringComparer.Ordinal).Select(n => n.Element("title")!.Value).ToList();
        var byDateAddedDescending = nfos.OrderByDescending(n => DateTime.Parse(n.Element("dateadded")!.Value, System.Globalization.CultureInfo.InvariantCulture))
            .Select(n => n.Element("title")!.Value).ToList();
        var rankOrder = Enumerable.Range(1, 12).Select(r => $"Film {(char)('Z' - r)}").ToList();
        Assert.Equal(rankOrder, bySortTitle);
        Assert.Equal(rankOrder, byDateAddedDescending);
        Assert.Contains(nfos, n => n.Element("sorttitle")!.Value == "0001 Film Y");
    }

    [Fact]
    public async Task Nfo_holds_the_real_title_plot_with_the_reason_and_only_known_ids_all_escaped()
    {
        var entry = Movie(3, MovieId, "Tom & Jerry <\"Live\"> 'Edition'", 2021, null,
            overview: "Cat & mouse <b>chase</b>\u0001 ]]> end", why: "You liked \"Heat\" & <Alien>.", imdb: "tt123", tmdb: "456");
        await Writer().WriteAsync(_library, [entry], OutputMode.Strm, new Urls(), default);

        var folder = Assert.Single(Directory.GetDirectories(LibraryPath));
        Assert.Equal("Tom & Jerry Live 'Edition' (2021) [aaaaaaaa]", Path.GetFileName(folder));
        var text = await File.ReadAllTextAsync(Path.Combine(folder, "movie.nfo"));
        Assert.Contains("Tom &amp; Jerry &lt;\"Live\"&gt;", text, StringComparison.Ordinal);
        var nfo = ReadNfo(Path.Combine(folder, "movie.nfo"));
        Assert.Equal("Tom & Jerry <\"Live\"> 'Edition'", nfo.Element("title")!.Value);
        Assert.Equal("0003 Tom & Jerry <\"Live\"> 'Edition'", nfo.Element("sorttitle")!.Value);
        Assert.Equal("2021", nfo.Element("year")!.Value);
        Assert.Equal("Cat & mouse <b>chase</b> ]]> end\n\nWhy this pick: You liked \"Heat\" & <Alien>.", nfo.Element("plot")!.Value);
        Assert.Equal("You liked \"Heat\" & <Alien>.", nfo.Element("outline")!.Value);
        Assert.Equal(["imdb:tt123:true", "tmdb:456:"], nfo.Elements("uniqueid").Select(u => $"{u.Attribute("type")!.Value}:{u.Value}:{u.Attribute("default")?.Value}"));
        Assert.Equal("tt123", nfo.Element("imdbid")!.Value);
        Assert.Equal("456", nfo.Element("tmdbid")!.Value);
        Assert.Null(nfo.Element("tvdbid"));
    }

    [Fact]
    public async Task Rerunning_with_the_same_input_leaves_the_same_files_untouched()
    {
        var video = MediaFile("movies/Heat/Heat.mkv");
        var picks = new[] { Movie(1, MovieId, "Heat", 1995, video), Movie(2, "m2", "Alien", 1979, null) };
        var first = await Writer().WriteAsync(_library, picks, OutputMode.Symlink, null, default);
        var before = Snapshot(Root);
        var nfo = Path.Combine(LibraryPath, "Heat (1995) [aaaaaaaa]", "movie.nfo");
        var writtenAt = File.GetLastWriteTimeUtc(nfo);

        var second = await Writer().WriteAsync(_library, picks, OutputMode.Symlink, null, default);

        Assert.Equal(before, Snapshot(Root));
        Assert.True(first.Changed);
        Assert.False(second.Changed);
        Assert.Equal(writtenAt, File.GetLastWriteTimeUtc(nfo));
        Assert.Equal((first.ItemCount, first.FilesWritten), (second.ItemCount, second.FilesWritten));
        Assert.Equal(first.Skipped, second.Skipped);
    }

    [Fact]
    public async Task Titles_no_longer_picked_disappear()
    {
        await Writer().WriteAsync(_library, [Movie(1, "m1", "Heat", 1995, null), Movie(2, "m2", "Alien", 1979, null)], OutputMode.Strm, new Urls(), default);
        var result = await Writer().WriteAsync(_library, [Movie(1, "m2", "Alien", 1979, null)], OutputMode.Strm, new Urls(), default);

        Assert.Equal(["Alien (1979) [m2]"], Directory.GetDirectories(LibraryPath).Select(Path.GetFileName));
        Assert.Equal("0001 Alien", ReadNfo(Path.Combine(LibraryPath, "Alien (1979) [m2]", "movie.nfo")).Element("sorttitle")!.Value);
        Assert.True(result.Changed);
        Assert.Empty(Hidden(Root));
    }

    [Fact]
    public async Task Two_films_with_the_same_name_and_year_get_their_own_folders()
    {
        var result = await Writer().WriteAsync(_library,
            [Movie(1, "0123456789abcdef0123456789abcdef", "Heat", 1995, null), Movie(2, "0123456799999999999999999999abcd", "Heat", 1995, null), Movie(3, "m3", "Heat", 1995, null)],
            OutputMode.Strm, new Urls(), default);
        Assert.Equal(3, result.ItemCount);
        Assert.Equal(["Heat (1995) [0123456799999999999999999999abcd]", "Heat (1995) [01234567]", "Heat (1995) [m3]"],
            Directory.GetDirectories(LibraryPath).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Hostile_titles_stay_inside_the_root()
    {
        string[] titles = ["../../etc", "..", "CON", "a/b", "x\0y\u0007", new string('n', 300), string.Concat(Enumerable.Repeat("e\u0301\u0302", 100)), "/", ".hidden", "C:\\Windows\\evil"];
        var picks = titles.Select((t, i) => Movie(i + 1, $"id{i}", t, null, null)).ToList();

        var result = await Writer().WriteAsync(_library, picks, OutputMode.Strm, new Urls(), default);

        Assert.Equal(titles.Length, result.ItemCount);
        Assert.Empty(result.Skipped);
        Assert.Equal(["media", "out"], Directory.GetFileSystemEntries(_temp).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["AI Picks - alice [a11ce000]"], Directory.GetFileSystemEntries(Root).Select(Path.GetFileName));
        var folders = Directory.GetDirectories(LibraryPath).Select(Path.GetFileName).ToList();
        Assert.Equal(titles.Length, folders.Count);
        Assert.All(folders, f =>
        {
            Assert.True(SafeName.IsSafe(f!.Split(" [")[0]) || f.StartsWith("Untitled", StringComparison.Ordinal), f);
            Assert.True(Encoding.UTF8.GetByteCount(f) <= SafeName.MaxBytes, f);
            Assert.False(f.StartsWith('.'));
        });
        Assert.Contains("etc [id0]", folders);
        Assert.Contains("_CON [id2]", folders);
        Assert.Contains("a-b [id3]", folders);
        // The NFO keeps the real title.
        Assert.Equal("../../etc", ReadNfo(Path.Combine(LibraryPath, "etc [id0]", "movie.nfo")).Element("title")!.Value);
    }

    [Fact]
    public async Task Library_folder_names_must_already_be_safe()
    {
        foreach (var bad in (string[])["../escape", "a/../../b", "", "a//b", ".hidden/movies", "/abs"])
        {
            await Assert.ThrowsAsync<OutputPathException>(() => Writer().WriteAsync(new OutputLibrary(bad), [], OutputMode.Strm, new Urls(), default));
            await Assert.ThrowsAsync<OutputPathException>(() => Writer().DeleteLibraryAsync(new OutputLibrary(bad), default));
        }
        Assert.Equal(["media"], Directory.GetFileSystemEntries(_temp).Select(Path.GetFileName));
        Assert.Equal("AI Picks - a-b [0000abcd]/series", OutputLibrary.ForUser("AI Picks - ", "a/b", "0000abcd", MediaKind.Series).FolderName);
    }

    [Fact]
    public async Task A_failure_after_some_entries_leaves_the_previous_library_byte_for_byte_and_no_temp_folder()
    {
        var video = MediaFile("movies/Heat/Heat.mkv");
        await Writer().WriteAsync(_library, [Movie(1, MovieId, "Heat", 1995, video), Movie(2, "m2", "Alien", 1979, MediaFile("movies/Alien.mkv"))], OutputMode.Symlink, null, default);
        var before = Snapshot(Root);
        var picks = Enumerable.Range(1, 5).Select(r => Movie(r, $"n{r}", $"New {r}", 2020, null)).ToList();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => Writer().WriteAsync(_library, picks, OutputMode.Strm, new Urls(failAfter: 3), default));

        Assert.Equal("stream URL builder failed", failure.Message);
        Assert.Equal(before, Snapshot(Root));
        Assert.Empty(Hidden(Root));
    }

    [Fact]
    public async Task Cancellation_mid_write_leaves_the_previous_library_and_no_temp_folder()
    {
        await Writer().WriteAsync(_library, [Movie(1, "m1", "Heat", 1995, null)], OutputMode.Strm, new Urls(), default);
        var before = Snapshot(Root);
        using var cts = new CancellationTokenSource();
        var picks = Enumerable.Range(1, 5).Select(r => Movie(r, $"n{r}", $"New {r}", 2020, null)).ToList();
        var urls = new CancellingUrls(cts, cancelAfter: 2);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Writer().WriteAsync(_library, picks, OutputMode.Strm, urls, cts.Token));

        Assert.Equal(before, Snapshot(Root));
        Assert.Empty(Hidden(Root));
    }

    private sealed class CancellingUrls(CancellationTokenSource cts, int cancelAfter) : IStreamUrlBuilder
    {
        private int _calls;

        public string StreamUrl(string serverItemId, string? serverPath)
        {
            if (++_calls == cancelAfter)
            {
                cts.Cancel();
            }
            return "http://x/" + serverItemId;
        }
    }

    [Fact]
    public async Task The_next_run_removes_temp_folders_a_killed_process_left_behind()
    {
        await Writer().WriteAsync(_library, [Movie(1, "m1", "Heat", 1995, null)], OutputMode.Strm, new Urls(), default);
        var parent = Path.GetDirectoryName(LibraryPath)!;
        var stale = Path.Combine(parent, $".movies.aperture-new-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(stale, "Half (2000) [x]"));
        var unrelated = Path.Combine(parent, ".keep-me");
        Directory.CreateDirectory(unrelated);

        await Writer().WriteAsync(_library, [Movie(1, "m1", "Heat", 1995, null)], OutputMode.Strm, new Urls(), default);

        Assert.False(Directory.Exists(stale));
        Assert.True(Directory.Exists(unrelated));
    }

    [Fact]
    public async Task A_swap_cut_short_after_moving_the_old_library_aside_is_undone_even_if_the_next_run_fails()
    {
        await Writer().WriteAsync(_library, [Movie(1, "m1", "Heat", 1995, null)], OutputMode.Strm, new Urls(), default);
        var before = Snapshot(Root);
        var aside = Path.Combine(Path.GetDirectoryName(LibraryPath)!, $".movies.aperture-old-{Guid.NewGuid():N}");
        Directory.Move(LibraryPath, aside);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Writer().WriteAsync(_library, [Movie(1, "m9", "Other", 2000, null)], OutputMode.Strm, new Urls(failAfter: 0), default));

        Assert.Equal(before, Snapshot(Root));
    }

    [Fact]
    public async Task Deleting_a_library_unlinks_links_to_outside_folders_without_following_them()
    {
        await Writer().WriteAsync(_library, [Movie(1, "m1", "Heat", 1995, null)], OutputMode.Strm, new Urls(), default);
        var outside = Path.Combine(_temp, "precious");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "data.txt"), "keep");
        Directory.CreateSymbolicLink(Path.Combine(LibraryPath, "Heat (1995) [m1]", "evil"), outside);
        File.CreateSymbolicLink(Path.Combine(LibraryPath, "evil-file"), Path.Combine(outside, "data.txt"));

        Assert.True(await Writer().DeleteLibraryAsync(_library, default));

        Assert.False(Directory.Exists(LibraryPath));
        Assert.False(Directory.Exists(Path.GetDirectoryName(LibraryPath)));
        Assert.True(Directory.Exists(Root));
        Assert.Equal("keep", await File.ReadAllTextAsync(Path.Combine(outside, "data.txt")));
        Assert.False(await Writer().DeleteLibraryAsync(_library, default));
    }

    [Fact]
    public async Task A_linked_folder_inside_the_root_pointing_outside_is_never_written_or_deleted_through()
    {
        var outside = Path.Combine(_temp, "precious");
        Directory.CreateDirectory(Path.Combine(outside, "movies", "Old (1990) [o]"));
        File.WriteAllText(Path.Combine(outside, "movies", "Old (1990) [o]", "movie.nfo"), "keep");
        Directory.CreateDirectory(Root);
        Directory.CreateSymbolicLink(Path.Combine(Root, "AI Picks - alice [a11ce000]"), outside);
        var before = Snapshot(outside);

        await Assert.ThrowsAsync<OutputPathException>(() => Writer().DeleteLibraryAsync(_library, default));
        await Assert.ThrowsAsync<OutputPathException>(() => Writer().WriteAsync(_library, [Movie(1, "m1", "Heat", 1995, null)], OutputMode.Strm, new Urls(), default));

        Assert.Equal(before, Snapshot(outside));

        // The library folder itself being a link is refused the same way.
        Directory.Delete(Path.Combine(Root, "AI Picks - alice [a11ce000]"));
        Directory.CreateDirectory(Path.Combine(Root, "AI Picks - alice [a11ce000]"));
        Directory.CreateSymbolicLink(LibraryPath, Path.Combine(outside, "movies"));
        await Assert.ThrowsAsync<OutputPathException>(() => Writer().DeleteLibraryAsync(_library, default));
        await Assert.ThrowsAsync<OutputPathException>(() => Writer().WriteAsync(_library, [], OutputMode.Strm, new Urls(), default));
        Assert.Equal(before, Snapshot(outside));
    }

    [Fact]
    public async Task A_pick_whose_mapped_media_file_is_missing_is_skipped_with_the_reason()
    {
        var heat = MediaFile("movies/Heat/Heat.mkv");
        var writer = Writer(mapping: $"/media={Media}");
        var picks = new[]
        {
            Movie(1, "m1", "Heat", 1995, "/media/movies/Heat/Heat.mkv"),
            Movie(2, "m2", "Gone", 2001, "/media/movies/Gone/Gone.mkv"),
            Movie(3, "m3", "Pathless", 2002, null),
            Movie(4, "m1", "Heat again", 1995, heat),
            Series(5, "s1", "Lost", 2004, "/media/tv/Lost"),
        };

        var result = await writer.WriteAsync(_library, picks, OutputMode.Symlink, null, default);

        Assert.Equal(1, result.ItemCount);
        Assert.Equal(["m2", "m3", "m1", "s1"], result.Skipped.Select(s => s.ServerItemId));
        Assert.Equal($"/media/movies/Gone/Gone.mkv maps to {Media}/movies/Gone/Gone.mkv, which does not exist here; check the media path mapping in Admin › Outputs (MEDIA_SERVER_LIBRARY_ROOT)", result.Skipped[0].Reason);
        Assert.Equal("the media server gave no path for it", result.Skipped[1].Reason);
        Assert.Equal("listed more than once", result.Skipped[2].Reason);
        Assert.Contains($"{Media}/tv/Lost", result.Skipped[3].Reason, StringComparison.Ordinal);
        Assert.Equal((2, "Gone"), (result.Skipped[0].Rank, result.Skipped[0].Title));
        Assert.Equal(["Heat (1995) [m1]"], Directory.GetDirectories(LibraryPath).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Strm_mode_needs_a_stream_url_builder()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Writer().WriteAsync(_library, [], OutputMode.Strm, null, default));
    }

    [Fact]
    public async Task An_empty_pick_list_writes_an_empty_library_folder()
    {
        var result = await Writer().WriteAsync(_library, [], OutputMode.Symlink, null, default);
        Assert.True(Directory.Exists(LibraryPath));
        Assert.Empty(Directory.EnumerateFileSystemEntries(LibraryPath));
        Assert.Equal((0, 0), (result.ItemCount, result.FilesWritten));
    }

    [Theory]
    [InlineData("http://jf:8096", "http://jf:8096/Videos/a%2Fb/stream?static=true&mediaSourceId=a%2Fb")]
    [InlineData("https://media.example/jellyfin/", "https://media.example/jellyfin/Videos/a%2Fb/stream?static=true&mediaSourceId=a%2Fb")]
    public void Jellyfin_stream_urls_need_no_key(string baseUrl, string expected)
    {
        Assert.Equal(expected, StreamUrlBuilder.For(Aperture.MediaServers.MediaServerType.Jellyfin, baseUrl, "secret").StreamUrl("a/b", null));
    }

    [Fact]
    public void Emby_stream_urls_carry_the_key()
    {
        Assert.Equal("http://emby:8096/emby/Videos/123/stream.mp4?Static=true&api_key=abc",
            StreamUrlBuilder.For(Aperture.MediaServers.MediaServerType.Emby, "http://emby:8096/", "abc").StreamUrl("123", "/media/movies/Alien (1979)/Alien.MP4"));
        Assert.Throws<ArgumentException>(() => StreamUrlBuilder.For(Aperture.MediaServers.MediaServerType.Emby, "http://emby:8096/", null));
    }

    [Fact]
    public async Task Output_options_bind_from_the_original_environment_names()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["MEDIA_SERVER_STRM_ROOT"] = Root, ["AI_LIBRARY_PATH_PREFIX"] = "/srv", ["STRM_USE_STREAMING_URL"] = "true" })
            .Build();
        var options = new OutputOptions();
        OutputOptions.Bind(options, configuration);
        var result = await new LibraryWriter(options, NullLogger<LibraryWriter>.Instance).WriteAsync(_library, [], OutputMode.Symlink, null, default);
        Assert.Equal("/srv/AI Picks - alice [a11ce000]/movies", result.ServerPath);
        Assert.Equal((OutputMode.Strm, OutputMode.Strm), (options.ModeFor(MediaKind.Movie), options.ModeFor(MediaKind.Series)));
    }

    [Fact]
    public async Task A_library_whose_every_pick_is_skipped_is_not_written_and_the_last_good_one_stays()
    {
        var heat = MediaFile("movies/Heat/Heat.mkv");
        var writer = Writer(mapping: $"/media={Media}");
        await writer.WriteAsync(_library, [Movie(1, "m1", "Heat", 1995, "/media/movies/Heat/Heat.mkv")], OutputMode.Symlink, null, default);
        File.Delete(heat);

        var error = await Assert.ThrowsAsync<NothingWrittenException>(() =>
            writer.WriteAsync(_library, [Movie(1, "m1", "Heat", 1995, "/media/movies/Heat/Heat.mkv"), Movie(2, "m2", "Gone", 2001, "/media/movies/Gone/Gone.mkv")],
                OutputMode.Symlink, null, default));

        Assert.StartsWith("0 of 2 picks written: /media/movies/Heat/Heat.mkv maps to", error.Message, StringComparison.Ordinal);
        Assert.Equal(["/media/movies/Heat/Heat.mkv", "/media/movies/Gone/Gone.mkv"], error.Skipped.Select(s => s.MissingPath));
        Assert.Equal(["Heat (1995) [m1]"], Directory.GetDirectories(LibraryPath).Select(Path.GetFileName));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(LibraryPath)!, ".*"));
    }
}
