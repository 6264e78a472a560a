using System.Text.Json;

namespace Aperture.Tests;

// The GC the app ships with is the one the pipeline bench measured (Aperture/Runtime.props, README › Benchmarks ›
// Pipeline): Sdk.Web would otherwise switch the app to Server GC, which peaked about 100 MB higher on MovieLens.
public sealed class RuntimeSettingsTests
{
    private static JsonElement AppConfigProperties()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Aperture.runtimeconfig.json");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }

    [Fact]
    public void The_app_runs_the_workstation_GC_with_conserve_memory_as_measured()
    {
        var properties = AppConfigProperties();

        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.True(properties.GetProperty("System.GC.Concurrent").GetBoolean());
        Assert.Equal("9", properties.GetProperty("System.GC.ConserveMemory").ToString());
        Assert.False(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean());
    }
}
