using System.Security.Claims;
using Aperture.Auth;
using Aperture.Channels;
using Aperture.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aperture.Api;

// /api/channels: a user's own channels and those shared with them. Reading needs ownership or a share; changing,
// generating, syncing and deleting need ownership (or an admin). A channel the caller may not see is a 404.
public static class ChannelsApi
{
    public sealed record ChannelLists(IReadOnlyList<ChannelSummary> Own, IReadOnlyList<ChannelSummary> Shared);

    public static void MapChannelsApi(this RouteGroupBuilder api)
    {
        var channels = api.MapGroup("/channels");
        channels.MapGet("", ListAsync);
        channels.MapPost("", CreateAsync);
        channels.MapGet("/{id:long}", GetAsync);
        channels.MapPut("/{id:long}", UpdateAsync);
        channels.MapDelete("/{id:long}", DeleteAsync);
        channels.MapPost("/{id:long}/generate", GenerateAsync);
        channels.MapPost("/{id:long}/sync", SyncAsync);
    }

    public static async Task<Ok<ChannelLists>> ListAsync(ClaimsPrincipal user, ChannelService service, CancellationToken ct)
    {
        var (own, shared) = await service.ListAsync(user, ct);
        return TypedResults.Ok(new ChannelLists(own, shared));
    }

    public static async Task<Results<Created<ChannelDetail>, ProblemHttpResult>> CreateAsync(HttpRequest request, ClaimsPrincipal user,
        ChannelService service, CancellationToken ct)
    {
        var (input, error) = await ApiJson.ReadAsync<ChannelInput>(request, ct);
        if (error is not null)
        {
            return error;
        }
        var (channel, errors) = await service.CreateAsync(user.UserId(), input!, ct);
        return errors.Count > 0
            ? ApiJson.Invalid(errors)
            : TypedResults.Created($"/api/channels/{channel!.Id}", await service.DetailAsync(channel, user, ct));
    }

    public static async Task<Results<Ok<ChannelDetail>, ProblemHttpResult>> GetAsync(long id, ClaimsPrincipal user, ChannelService service,
        CancellationToken ct) =>
        await service.FindAsync(id, ct) is { } channel && ChannelService.AccessOf(channel, user) != ChannelAccess.None
            ? TypedResults.Ok(await service.DetailAsync(channel, user, ct))
            : NotFound(id);

    public static async Task<Results<Ok<ChannelDetail>, ProblemHttpResult>> UpdateAsync(long id, HttpRequest request, ClaimsPrincipal user,
        ChannelService service, CancellationToken ct)
    {
        var (channel, denied) = await EditableAsync(id, user, service, ct);
        if (denied is not null)
        {
            return denied;
        }
        var (input, error) = await ApiJson.ReadAsync<ChannelInput>(request, ct);
        if (error is not null)
        {
            return error;
        }
        // A refused playlist change keeps the channel as it was; ApiProblems answers it (502/503).
        var errors = await service.UpdateAsync(channel!, input!, ct);
        return errors.Count > 0 ? ApiJson.Invalid(errors) : TypedResults.Ok(await service.DetailAsync(channel!, user, ct));
    }

    public static Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long id, ClaimsPrincipal user, ChannelService service, CancellationToken ct) =>
        ActAsync(id, user, service, async channel =>
        {
            await service.DeleteAsync(channel, ct);
            return TypedResults.NoContent();
        }, ct);

    public static Task<Results<Ok<ChannelDetail>, ProblemHttpResult>> GenerateAsync(long id, ClaimsPrincipal user, ChannelService service,
        CancellationToken ct) =>
        ActAsync(id, user, service, channel => DetailAfterAsync(service.GenerateAsync(channel, ct), channel, user, service, ct), ct);

    public static Task<Results<Ok<ChannelDetail>, ProblemHttpResult>> SyncAsync(long id, ClaimsPrincipal user, ChannelService service,
        CancellationToken ct) =>
        ActAsync(id, user, service, channel => DetailAfterAsync(service.SyncAsync(channel, ct), channel, user, service, ct), ct);

    // The channel as it is once the action has finished.
    private static async Task<Ok<ChannelDetail>> DetailAfterAsync(Task action, Channel channel, ClaimsPrincipal user, ChannelService service,
        CancellationToken ct)
    {
        await action;
        return TypedResults.Ok(await service.DetailAsync(channel, user, ct));
    }

    // An owner's action on a channel: 404/403 for others; the channel's errors as problems (the media server's: ApiProblems).
    private static async Task<Results<T, ProblemHttpResult>> ActAsync<T>(long id, ClaimsPrincipal user, ChannelService service,
        Func<Channel, Task<T>> act, CancellationToken ct) where T : IResult
    {
        var (channel, denied) = await EditableAsync(id, user, service, ct);
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

    private static async Task<(Channel? Channel, ProblemHttpResult? Denied)> EditableAsync(long id, ClaimsPrincipal user, ChannelService service,
        CancellationToken ct)
    {
        var channel = await service.FindAsync(id, ct);
        if (channel is null || ChannelService.AccessOf(channel, user) == ChannelAccess.None)
        {
            return (null, NotFound(id));
        }
        return ChannelService.AccessOf(channel, user) == ChannelAccess.Read
            ? (null, ApiProblems.Forbidden("This channel is shared with you read-only: only its owner changes it."))
            : (channel, null);
    }

    private static ProblemHttpResult NotFound(long id) => ApiProblems.NotFound($"There is no channel {id} you can see.");

    private static ProblemHttpResult Failed(ChannelGenerationException e) => e.Unavailable
        ? ApiProblems.Conflict(e.Message)
        : ApiJson.Invalid(e.Field, e.Message);
}
