using Aperture.Outputs;
using Microsoft.Extensions.Configuration;
using Aperture.Data;

namespace Aperture.Tests.Outputs;

public sealed class PathMapperTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("aperture-map-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static PathMapper Mapper(string? mapping, string root = "/strm", string? serverRoot = null) =>
        new(new OutputOptions { StrmRoot = root, LibraryPathPrefix = serverRoot, LibraryRoot = mapping });

    [Fact]
    public void Server_paths_map_by_the_longest_whole_component_prefix()
    {
        var mapper = Mapper("/media=/mnt/nas/media; /media/tv=/mnt/tv");
        Assert.Equal("/mnt/nas/media/movies/X.mkv", mapper.ToLocal("/media/movies/X.mkv"));
        Assert.Equal("/mnt/tv/Show/Season 01", mapper.ToLocal("/media/tv/Show/Season 01"));
        Assert.Equal("/mediafoo/X.mkv", mapper.ToLocal("/mediafoo/X.mkv"));
        Assert.Equal("/other/X.mkv", mapper.ToLocal("/other/X.mkv"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/mnt/media")]
    public void An_empty_value_or_a_bare_path_means_the_server_paths_are_the_same(string? mapping)
    {
        Assert.Equal("/mnt/media/movies/X.mkv", Mapper(mapping).ToLocal("/mnt/media/movies/X.mkv"));
    }

    [Fact]
    public void Windows_server_paths_match_without_case_and_get_forward_slashes()
    {
        var mapper = Mapper(@"D:\Movies=/mnt/movies");
        Assert.Equal("/mnt/movies/Heat (1995)/Heat.mkv", mapper.ToLocal(@"d:\movies\Heat (1995)\Heat.mkv"));
    }

    [Fact]
    public void The_server_root_can_map_to_a_local_mount_of_everything()
    {
        Assert.Equal("/hostfs/media/X.mkv", Mapper("/=/hostfs").ToLocal("/media/X.mkv"));
    }

    [Theory]
    [InlineData("=/mnt/x")]
    [InlineData("/media=")]
    [InlineData("/media=relative/path")]
    public void Malformed_mappings_are_refused_naming_the_variable(string mapping)
    {
        Assert.Throws<FormatException>(() => PathMapper.Parse(mapping));
        var error = new OutputOptions { LibraryRoot = mapping }.Validate();
        Assert.StartsWith("MEDIA_SERVER_LIBRARY_ROOT", error);
    }

    [Fact]
    public void Output_paths_are_translated_to_what_the_server_sees()
    {
        var mapper = Mapper(null, "/strm", "/data/aperture/");
        Assert.Equal("/data/aperture/AI Picks - alice/movies", mapper.OutputToServer("/strm/AI Picks - alice/movies"));
        Assert.Equal("/strm/x", Mapper(null).OutputToServer("/strm/x"));
        Assert.Throws<OutputPathException>(() => mapper.OutputToServer("/elsewhere/x"));
    }

    [Fact]
    public void CheckExample_reports_the_mapped_path_and_whether_it_exists()
    {
        Directory.CreateDirectory(Path.Combine(_temp, "movies"));
        File.WriteAllText(Path.Combine(_temp, "movies", "X.mkv"), "");
        var mapper = Mapper($"/media={_temp}");

        var found = mapper.CheckExample("/media/movies/X.mkv");
        Assert.True(found.Exists);
        Assert.Equal(Path.Combine(_temp, "movies", "X.mkv"), found.LocalPath);
        Assert.Contains($"/media={_temp}", found.Message, StringComparison.Ordinal);

        var missing = mapper.CheckExample("/media/movies/Y.mkv");
        Assert.False(missing.Exists);
        Assert.Contains("MEDIA_SERVER_LIBRARY_ROOT", missing.Message, StringComparison.Ordinal);

        var unmapped = mapper.CheckExample("/nowhere/Z.mkv");
        Assert.False(unmapped.Exists);
        Assert.Contains("no mapping applies", unmapped.Message, StringComparison.Ordinal);

        var e = Assert.Throws<MappedPathNotFoundException>(() => mapper.ToLocalExisting("/media/movies/Y.mkv", directory: false));
        Assert.Equal(Path.Combine(_temp, "movies", "Y.mkv"), e.LocalPath);
    }

    [Fact]
    public void Options_are_read_from_the_original_environment_variables()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MEDIA_SERVER_STRM_ROOT"] = "/out",
            ["AI_LIBRARY_PATH_PREFIX"] = "/srv/out",
            ["AI_LIBRARY_NAME_PREFIX"] = "Picks for ",
            ["MEDIA_SERVER_LIBRARY_ROOT"] = "/media=/mnt/media",
            ["STRM_USE_STREAMING_URL"] = "true",
        }).Build();
        var options = new OutputOptions();
        OutputOptions.Bind(options, configuration);
        Assert.Equal(("/out", "/srv/out", "Picks for ", OutputMode.Strm), (options.StrmRoot, options.ServerRoot, options.LibraryNamePrefix, options.ModeFor(Aperture.Data.MediaKind.Series)));
        Assert.Null(options.Validate());

        var defaults = new OutputOptions();
        OutputOptions.Bind(defaults, new ConfigurationBuilder().Build());
        Assert.Equal(("/strm", "/strm", "AI Picks - ", OutputMode.Symlink), (defaults.StrmRoot, defaults.ServerRoot, defaults.LibraryNamePrefix, defaults.ModeFor(Aperture.Data.MediaKind.Movie)));
        Assert.NotNull(new OutputOptions { StrmRoot = "relative" }.Validate());
        Assert.NotNull(new OutputOptions { StrmRoot = "/" }.Validate());
    }
}
