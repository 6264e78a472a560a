namespace Aperture.Channels;

public static class ChannelsExtensions
{
    public static WebApplicationBuilder AddChannels(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ChannelVocabularies>();
        builder.Services.AddScoped<ChannelGenerator>();
        builder.Services.AddScoped<ChannelPlaylistSync>();
        builder.Services.AddScoped<ChannelService>();
        return builder;
    }
}
