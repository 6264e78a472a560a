using Aperture.Auth;
using Aperture.Channels;
using Aperture.GroupPicks;

namespace Aperture.Api;

// /api/group-picks: movie night. Any signed-in user, among the users who allowed it (admins among all); the caller's own consent.
public static class GroupPicksApi
{
    public sealed record ConsentInput(bool? Allow);

    public static void MapGroupPicksApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/group-picks");

        group.MapPost("", async (HttpContext http, GroupPicksService service, CancellationToken ct) =>
        {
            var (input, error) = await ApiJson.ReadAsync<GroupPicksInput>(http.Request, ct);
            if (error is not null)
            {
                return error;
            }
            return await GuardAsync(async () =>
            {
                var result = await service.PicksAsync(http.User, input!, ct);
                return Results.Ok(new { kind = result.Kind, picks = result.Picks });
            });
        });

        // The list saved as a channel of the caller's (201 with the channel); "playlist": true also sends it to the media server.
        group.MapPost("/channel", async (HttpContext http, GroupPicksService service, ChannelService channels, CancellationToken ct) =>
        {
            var (input, error) = await ApiJson.ReadAsync<GroupChannelInput>(http.Request, ct);
            if (error is not null)
            {
                return error;
            }
            return await GuardAsync(async () =>
            {
                var channel = await service.SaveAsync(http.User, input!, ct);
                return Results.Created($"/api/channels/{channel.Id}", await channels.DetailAsync(channel, http.User, ct));
            });
        });

        // Who the caller may choose, and whether others may choose them.
        group.MapGet("/users", async (HttpContext http, GroupPicksService service, CancellationToken ct) =>
            Results.Ok(new { users = await service.ChoosableAsync(http.User, ct), allowMe = await service.AllowsAsync(http.User.UserId(), ct) }));

        group.MapPut("/consent", async (HttpContext http, GroupPicksService service, CancellationToken ct) =>
        {
            var (input, error) = await ApiJson.ReadAsync<ConsentInput>(http.Request, ct);
            if (error is not null)
            {
                return error;
            }
            if (input!.Allow is not { } allow)
            {
                return ApiJson.Invalid("allow", "allow must be true or false.");
            }
            await service.SetAllowAsync(http.User.UserId(), allow, ct);
            return Results.Ok(new { allow });
        });
    }

    // A refused playlist (MediaServerException) is answered by ApiProblems: the channel is saved and can be synced again.
    private static async Task<IResult> GuardAsync(Func<Task<IResult>> act)
    {
        try
        {
            return await act();
        }
        catch (GroupPicksValidationException e)
        {
            return ApiJson.Invalid(e.Errors);
        }
        catch (GroupPicksException e) when (e.Forbidden)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: e.Message, extensions: new Dictionary<string, object?> { ["field"] = e.Field });
        }
        catch (GroupPicksException e) when (e.Unavailable)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: e.Message);
        }
        catch (GroupPicksException e)
        {
            return ApiJson.Invalid(e.Field, e.Message);
        }
    }
}
