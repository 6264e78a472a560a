using Aperture.Fakes.Wire;

namespace Aperture.Fakes.Api;

internal static class SessionApi
{
    // ControllableByUserId: sessions that accept remote control and belong to that user (any user's, for an administrator).
    public static Reply List(FakeRequest q)
    {
        var controller = q.Query("ControllableByUserId") is { } id ? q.State.FindUser(id) : null;
        if (q.Query("ControllableByUserId") is not null && controller is null)
        {
            return Reply.NotFound("User not found.");
        }
        var sessions = q.State.SessionsList
            .Where(s => controller is null || (s.SupportsRemoteControl && (controller.IsAdministrator || s.UserId == controller.Id)))
            .Where(s => q.Query("DeviceId") is not { } device || s.DeviceId == device)
            .ToList();
        return Reply.Array(sessions, (w, s) => Dtos.Session(w, q.State, s));
    }

    // POST /Sessions/{id}/Playing?playCommand=PlayNow&itemIds=a,b: recorded in State.PlayCommands for tests to assert.
    public static Reply Play(FakeRequest q)
    {
        if (q.State.SessionsList.Find(s => s.Id == Ids.Normalize(q.Route("sessionId"))) is not { } session)
        {
            return Reply.NotFound("Session not found.");
        }
        var itemIds = q.QueryList("ItemIds");
        if (itemIds.Length == 0)
        {
            return Reply.BadRequest("itemIds is required.");
        }
        q.State.AddPlayCommand(new FakePlayCommand(session.Id, q.Query("PlayCommand") ?? "PlayNow", itemIds, q.QueryLong("StartPositionTicks"), q.State.Time.GetUtcNow()));
        return Reply.NoContent();
    }

    public static Reply Logout(FakeRequest q)
    {
        q.State.RevokeToken(q.Me.Token.Token);
        return Reply.NoContent();
    }
}
