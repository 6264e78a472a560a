using Aperture.Jobs;

namespace Aperture.Channels;

public static class ChannelsExtensions
{
    public static WebApplicationBuilder AddChannels(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ChannelVocabularies>();
        builder.Services.AddScoped<ChannelGenerator>();
        builder.Services.AddScoped<ChannelPlaylistSync>();
        builder.Services.AddScoped<ChannelService>();
        builder.Services.AddJob<RefreshChannelsJob>(new JobDefinition(JobNames.RefreshChannels, "Refresh channels",
            "Fills every generated channel again from the current catalogue (new titles in, what the owner has since watched out when asked) and replaces the playlists of those in the media server.",
            typeof(RefreshChannelsJob), Locks: JobDefinition.AllDataLocks));
        return builder;
    }
}
