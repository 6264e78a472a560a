using System.Text.Json;

namespace Aperture.Fakes.Wire;

// The small DTOs both servers share in shape; only ids and envelopes go through the dialect.
internal static class Dtos
{
    public static void Page<T>(Utf8JsonWriter w, Dialect dialect, IReadOnlyCollection<T> page, int total, int startIndex, Action<Utf8JsonWriter, T> writeOne)
    {
        w.WriteStartObject();
        w.WriteStartArray("Items");
        foreach (var one in page)
        {
            writeOne(w, one);
        }
        w.WriteEndArray();
        dialect.WritePaging(w, total, startIndex);
        w.WriteEndObject();
    }

    public static void User(Utf8JsonWriter w, FakeState state, FakeUser user)
    {
        w.WriteStartObject();
        w.WriteString("Name", user.Name);
        w.WriteString("ServerId", state.ServerId);
        w.WriteString("Id", user.Id);
        w.WriteBoolean("HasPassword", user.Password.Length > 0);
        w.WriteBoolean("HasConfiguredPassword", user.Password.Length > 0);
        w.WriteBoolean("HasConfiguredEasyPassword", false);
        w.WriteBoolean("EnableAutoLogin", false);
        w.Opt("LastLoginDate", user.LastLoginDate);
        w.Opt("LastActivityDate", user.LastLoginDate);
        w.WriteStartObject("Configuration");
        w.WriteBoolean("PlayDefaultAudioTrack", true);
        w.WriteString("SubtitleLanguagePreference", "");
        w.WriteBoolean("DisplayMissingEpisodes", false);
        w.WriteString("SubtitleMode", "Default");
        w.WriteBoolean("HidePlayedInLatest", true);
        w.WriteBoolean("RememberAudioSelections", true);
        w.WriteBoolean("RememberSubtitleSelections", true);
        w.WriteBoolean("EnableNextEpisodeAutoPlay", true);
        w.WriteEndObject();
        w.Node("Policy", user.Policy);
        w.WriteEndObject();
    }

    public static void Session(Utf8JsonWriter w, FakeState state, FakeSession session)
    {
        w.WriteStartObject();
        w.WriteStartObject("PlayState");
        w.WriteBoolean("CanSeek", false);
        w.WriteBoolean("IsPaused", false);
        w.WriteBoolean("IsMuted", false);
        w.WriteString("RepeatMode", "RepeatNone");
        w.WriteEndObject();
        w.WriteStartArray("AdditionalUsers");
        w.WriteEndArray();
        w.WriteStartObject("Capabilities");
        w.Strings("PlayableMediaTypes", session.SupportsRemoteControl ? ["Video", "Audio"] : []);
        w.Strings("SupportedCommands", session.SupportsRemoteControl ? ["Play", "DisplayMessage"] : []);
        w.WriteBoolean("SupportsMediaControl", session.SupportsRemoteControl);
        w.WriteEndObject();
        w.WriteString("RemoteEndPoint", "127.0.0.1");
        w.Strings("PlayableMediaTypes", session.SupportsRemoteControl ? ["Video", "Audio"] : []);
        w.WriteString("Id", session.Id);
        w.Opt("UserId", session.UserId);
        w.Opt("UserName", session.UserName);
        w.WriteString("Client", session.Client);
        w.WriteString("LastActivityDate", Json.Date(session.LastActivityDate));
        w.WriteString("DeviceName", session.DeviceName);
        w.WriteString("DeviceId", session.DeviceId);
        w.WriteString("ApplicationVersion", session.ApplicationVersion);
        w.WriteBoolean("IsActive", true);
        w.WriteBoolean("SupportsMediaControl", session.SupportsRemoteControl);
        w.WriteBoolean("SupportsRemoteControl", session.SupportsRemoteControl);
        w.WriteString("ServerId", state.ServerId);
        w.WriteEndObject();
    }

    public static void VirtualFolder(Utf8JsonWriter w, Dialect dialect, FakeLibrary library)
    {
        w.WriteStartObject();
        w.WriteString("Name", library.Name);
        w.Strings("Locations", library.Locations);
        w.Opt("CollectionType", library.CollectionType);
        w.Node("LibraryOptions", library.LibraryOptions);
        dialect.WriteVirtualFolderIds(w, library);
        w.WriteString("RefreshStatus", "Idle");
        w.WriteEndObject();
    }

    public static void Shares(Utf8JsonWriter w, FakePlaylistShare share)
    {
        w.WriteStartObject();
        w.WriteString("UserId", share.UserId);
        w.WriteBoolean("CanEdit", share.CanEdit);
        w.WriteEndObject();
    }
}
