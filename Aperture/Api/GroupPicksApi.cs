using System.Security.Claims;
using Aperture.Auth;
using Aperture.Channels;
using Aperture.GroupPicks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aperture.Api;

// /api/group-picks: movie night. Any signed-in user, among the users who allowed it (admins among all); the caller's own consent.
public static class GroupPicksApi
{
    public sealed record ConsentInput(bool? Allow);

    public sealed record ConsentView(bool Allow);

    public sealed record Choosable(IReadOnlyList<GroupMember> Users, bool AllowMe);

    public static void MapGroupPicksApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/group-picks");
        group.MapPost("", PicksAsync);
        // The list saved as a channel of the caller's (201 with the channel); "playlist": true also sends it to the media server.
        group.MapPost("/channel", SaveAsChannelAsync);
        // Who the caller may choose, and whether others may choose them.
        group.MapGet("/users", ChoosableAsync);
        group.MapPut("/consent", SetConsentAsync);
    }

    public static async Task<Results<Ok<GroupPicksResult>, ProblemHttpResult>> PicksAsync(HttpRequest request, ClaimsPrincipal user,
        GroupPicksService service, CancellationToken ct)
    {
        var (input, error) = await ApiJson.ReadAsync<GroupPicksInput>(request, ct);
        if (error is not null)
        {
            return error;
        }
        return await GuardAsync(async () => TypedResults.Ok(await service.PicksAsync(user, input!, ct)));
    }

    public static async Task<Results<Created<ChannelDetail>, ProblemHttpResult>> SaveAsChannelAsync(HttpRequest request, ClaimsPrincipal user,
        GroupPicksService service, ChannelService channels, CancellationToken ct)
    {
        var (input, error) = await ApiJson.ReadAsync<GroupChannelInput>(request, ct);
        if (error is not null)
        {
            return error;
        }
        return await GuardAsync(async () =>
        {
            var channel = await service.SaveAsync(user, input!, ct);
            return TypedResults.Created($"/api/channels/{channel.Id}", await channels.DetailAsync(channel, user, ct));
        });
    }

    public static async Task<Ok<Choosable>> ChoosableAsync(ClaimsPrincipal user, GroupPicksService service, CancellationToken ct) =>
        TypedResults.Ok(new Choosable(await service.ChoosableAsync(user, ct), await service.AllowsAsync(user.UserId(), ct)));

    public static async Task<Results<Ok<ConsentView>, ProblemHttpResult>> SetConsentAsync(HttpRequest request, ClaimsPrincipal user,
        GroupPicksService service, CancellationToken ct)
    {
        var (input, error) = await ApiJson.ReadAsync<ConsentInput>(request, ct);
        if (error is not null)
        {
            return error;
        }
        if (input!.Allow is not { } allow)
        {
            return ApiJson.Invalid("allow", "allow must be true or false.");
        }
        await service.SetAllowAsync(user.UserId(), allow, ct);
        return TypedResults.Ok(new ConsentView(allow));
    }

    // A refused playlist (MediaServerException) is answered by ApiProblems: the channel is saved and can be synced again.
    private static async Task<Results<T, ProblemHttpResult>> GuardAsync<T>(Func<Task<T>> act) where T : IResult
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
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: e.Message,
                extensions: new Dictionary<string, object?> { ["field"] = e.Field });
        }
        catch (GroupPicksException e) when (e.Unavailable)
        {
            return ApiProblems.Conflict(e.Message);
        }
        catch (GroupPicksException e)
        {
            return ApiJson.Invalid(e.Field, e.Message);
        }
    }
}
