using Microsoft.Extensions.Configuration;

namespace Aperture.Tests;

public sealed class DataFolderTests
{
    [Fact]
    public void The_data_folder_ignores_itself_in_git_wherever_it_is()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"aperture-data-{Guid.NewGuid():N}");
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["APERTURE_DATA_DIR"] = dir }).Build();
            var paths = AppPaths.FromConfiguration(configuration);
            Assert.Equal(dir, paths.DataDirectory);
            Assert.Contains("\n*\n", File.ReadAllText(Path.Combine(dir, ".gitignore")), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
