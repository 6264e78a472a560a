namespace Aperture.GroupPicks;

public static class GroupPicksExtensions
{
    public static WebApplicationBuilder AddGroupPicks(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<GroupPicksService>();
        return builder;
    }
}
