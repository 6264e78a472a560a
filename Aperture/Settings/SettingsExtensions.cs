namespace Aperture.Settings;

public static class SettingsExtensions
{
    public static WebApplicationBuilder AddSettings(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<SettingsStore>();
        builder.Services.AddScoped<JsonSettings>();
        return builder;
    }
}
