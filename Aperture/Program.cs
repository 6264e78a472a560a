using Aperture;
using Aperture.Api;
using Aperture.Auth;
using Aperture.Browse;
using Aperture.Catalog;
using Aperture.Channels;
using Aperture.Data;
using Aperture.Embeddings;
using Aperture.GroupPicks;
using Aperture.Feedback;
using Aperture.History;
using Aperture.Jobs;
using Aperture.MediaServers;
using Aperture.Narratives;
using Aperture.Outputs;
using Aperture.Recommendations;
using Aperture.Settings;
using Aperture.TopPicks;
using Aperture.Web;

if (args is ["restore", ..])
{
    // A command on a stopped instance, not a start: see BackupRestore.
    return await BackupRestore.RunCommandAsync(args);
}

try
{
    var builder = WebApplication.CreateBuilder(AppPaths.BuilderOptions(args));
    builder.AddHosting();
    builder.AddData();
    builder.AddSettings();
    builder.AddMediaServers();
    builder.AddAuth();
    builder.AddEmbeddings();
    builder.AddNarratives();
    builder.AddJobs();
    builder.AddCatalog();
    builder.AddHistory();
    builder.AddRecommendations();
    builder.AddFeedback();
    builder.AddOutputs();
    builder.AddChannels();
    builder.AddGroupPicks();
    builder.AddWeb();
    builder.AddApi();
    builder.AddBrowse();
    builder.AddServerLibraries();
    builder.AddTopPicks();

    var app = builder.Build();
    // Options checked at start (MEDIA_SERVER_STRM_ROOT, …) fail here, as one line, not later inside the host's start with its
    // stack trace in the log.
    app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
    await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(CancellationToken.None);
    app.UseWeb();
    app.MapApi();
    app.MapImages();
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (StartupException.Find(e) is { } startup)
{
    // One line the admin can act on, not a stack trace.
    await Console.Error.WriteLineAsync($"Aperture cannot start: {startup.Message}");
    return 1;
}

public partial class Program;
