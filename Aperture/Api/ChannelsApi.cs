using Aperture.Channels;
using Aperture.MediaServers;
using Aperture.Data;

namespace Aperture.Api;

// /api/channels: a user's own channels and those shared with them. Reading needs ownership or a share; changing,
// generating, syncing and deleting need ownership (or an admin). A channel the caller may not see is a 404.
public static class ChannelsApi
{
    public static void MapChannelsApi(this RouteGroupBuilder api)
    {
        var channels = api.MapGroup("/channels");

        channels.MapGet("", async (HttpContext http, ChannelService service, CancellationToken ct) =>
        {
            var (own, shared) = await service.ListAsync(http.User, ct);
            return Results.Ok(new { own, shared });
        });

        channels.MapPost("", async (HttpContext http, ChannelService service, CancellationToken ct) =>
        {
            var (input, error) = await ApiJson.ReadAsync<ChannelInput>(http.Request, ct);
            if (error is not null)
            {
                return error;
            }
            var (channel, errors) = await service.CreateAsync(Auth.ClaimsPrincipalExtensions.UserId(http.User), input!, ct);
            return errors.Count > 0
                ? ApiJson.Invalid(errors)
                : Results.Created($"/api/channels/{channel!.Id}", await service.DetailAsync(channel, http.User, ct));
        });

        channels.MapGet("/{id:long}", async (long id, HttpContext http, ChannelService service, CancellationToken ct) =>
            await service.FindAsync(id, ct) is { } channel && ChannelService.AccessOf(channel, http.User) != ChannelAccess.None
                ? Results.Ok(await service.DetailAsync(channel, http.User, ct))
                : NotFound(id));

        channels.MapPut("/{id:long}", async (long id, HttpContext http, ChannelService service, CancellationToken ct) =>
        {
            var (channel, denied) = await EditableAsync(id, http, service, ct);
            if (denied is not null)
            {
                return denied;
            }
            var (input, error) = await ApiJson.ReadAsync<ChannelInput>(http.Request, ct);
            if (error is not null)
            {
                return error;
            }
            // A refused playlist change keeps the channel as it was; ApiProblems answers it (502/503).
            var errors = await service.UpdateAsync(channel!, input!, ct);
            return errors.Count > 0 ? ApiJson.Invalid(errors) : Results.Ok(await service.DetailAsync(channel!, http.User, ct));
        });

        channels.MapDelete("/{id:long}", (long id, HttpContext http, ChannelService service, CancellationToken ct) =>
            ActAsync(id, http, service, async channel =>
            {
                await service.DeleteAsync(channel, ct);
                return Results.NoContent();
            }, ct));

        channels.MapPost("/{id:long}/generate", (long id, HttpContext http, ChannelService service, CancellationToken ct) =>
            ActAsync(id, http, service, async channel =>
            {
                await service.GenerateAsync(channel, ct);
                return Results.Ok(await service.DetailAsync(channel, http.User, ct));
            }, ct));

        channels.MapPost("/{id:long}/sync", (long id, HttpContext http, ChannelService service, CancellationToken ct) =>
            ActAsync(id, http, service, async channel =>
            {
                await service.SyncAsync(channel, ct);
                return Results.Ok(await service.DetailAsync(channel, http.User, ct));
            }, ct));
    }

    // An owner's action on a channel: 404/403 for others; the channel's errors as problems (the media server's: ApiProblems).
    private static async Task<IResult> ActAsync(long id, HttpContext http, ChannelService service, Func<Channel, Task<IResult>> act, CancellationToken ct)
    {
        var (channel, denied) = await EditableAsync(id, http, service, ct);
        if (denied is not null)
        {
            return denied;
        }
        try
        {
            return await act(channel!);
        }
        catch (ChannelGenerationException e)
        {
            return Failed(e);
        }
    }

    private static async Task<(Channel? Channel, IResult? Denied)> EditableAsync(long id, HttpContext http, ChannelService service, CancellationToken ct)
    {
        var channel = await service.FindAsync(id, ct);
        if (channel is null || ChannelService.AccessOf(channel, http.User) == ChannelAccess.None)
        {
            return (null, NotFound(id));
        }
        return ChannelService.AccessOf(channel, http.User) == ChannelAccess.Read
            ? (null, Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "This channel is shared with you read-only: only its owner changes it."))
            : (channel, null);
    }

    private static IResult NotFound(long id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"There is no channel {id} you can see.");

    public static IResult Failed(ChannelGenerationException e) => e.Unavailable
        ? Results.Problem(statusCode: StatusCodes.Status409Conflict, title: e.Message)
        : ApiJson.Invalid(e.Field, e.Message);
}
