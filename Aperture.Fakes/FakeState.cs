using Aperture.Fakes.Wire;

namespace Aperture.Fakes;

// The server's whole world. Every request runs under Sync, so tests may mutate through these methods (or inside Write)
// while requests are in flight. Objects handed out are live: change them inside Write (or call Touch after), which also
// tells the paging cache that results may have moved.
public sealed class FakeState
{
    private readonly List<FakeUser> users = [];
    private readonly List<FakeLibrary> libraries = [];
    private readonly Dictionary<string, FakeItem> items = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<FakeItem>> children = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Dictionary<string, FakeUserData>> userData = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, FakeToken> tokens = new(StringComparer.Ordinal);
    private readonly List<FakeSession> sessions = [];
    private readonly List<FakePlayCommand> playCommands = [];
    private readonly Dictionary<string, (long Version, ItemRow[] Rows)> results = new(StringComparer.Ordinal);
    private FakeItem[]? inDefaultOrder;
    private long version;

    internal FakeState(Dialect dialect, TimeProvider time)
    {
        Dialect = dialect;
        Time = time;
    }

    internal Lock Sync { get; } = new();
    internal Dialect Dialect { get; }
    internal TimeProvider Time { get; }
    public string ServerId { get; } = Ids.NewGuid();

    public IReadOnlyList<FakeUser> Users => Read(_ => users.ToArray());
    public IReadOnlyList<FakeLibrary> Libraries => Read(_ => libraries.ToArray());
    public IReadOnlyList<FakeItem> Items => Read(_ => items.Values.ToArray());
    public IReadOnlyList<FakeSession> Sessions => Read(_ => sessions.ToArray());
    public IReadOnlyList<FakeToken> Tokens => Read(_ => tokens.Values.ToArray());
    public IReadOnlyList<FakePlayCommand> PlayCommands => Read(_ => playCommands.ToArray());

    public T Read<T>(Func<FakeState, T> read)
    {
        lock (Sync)
        {
            return read(this);
        }
    }

    public void Write(Action<FakeState> change)
    {
        lock (Sync)
        {
            change(this);
            Changed();
        }
    }

    public FakeUser? FindUser(string idOrName)
    {
        var id = Ids.Normalize(idOrName);
        return Read(_ => users.Find(u => u.Id == id) ?? users.Find(u => string.Equals(u.Name, idOrName, StringComparison.OrdinalIgnoreCase)));
    }

    public FakeUser User(string idOrName) => FindUser(idOrName) ?? throw new KeyNotFoundException($"No fake user '{idOrName}'");

    public FakeItem? FindItem(string id) => Read(_ => items.GetValueOrDefault(Ids.Normalize(id)));

    // By id, or else the first item with that name: tests rarely know generated ids.
    public FakeItem Item(string idOrName) =>
        FindItem(idOrName)
        ?? Read(_ => items.Values.FirstOrDefault(i => string.Equals(i.Name, idOrName, StringComparison.OrdinalIgnoreCase)))
        ?? throw new KeyNotFoundException($"No fake item '{idOrName}'");

    // By ItemId (Emby: its numeric Id), Guid or name.
    public FakeLibrary? FindLibrary(string idOrName)
    {
        var id = Ids.Normalize(idOrName);
        return Read(_ => libraries.Find(l => l.ItemId == id || l.Guid == id)
            ?? libraries.Find(l => string.Equals(l.Name, idOrName, StringComparison.OrdinalIgnoreCase)));
    }

    public IReadOnlyList<FakeItem> ChildrenOf(string parentId) => Read(_ => children.GetValueOrDefault(parentId)?.ToArray() ?? []);

    public IReadOnlyList<FakeItem> EpisodesOf(FakeItem series) =>
        Read(_ => Descendants(series).Where(i => i.Type == FakeItemType.Episode).ToArray());

    public FakeUserData? GetUserData(FakeUser user, FakeItem item) =>
        Read(_ => userData.GetValueOrDefault(user.Id)?.GetValueOrDefault(item.Id));

    // Playing or favouriting never moves DateLastSaved: that is why the catalogue delta cannot see it.
    public FakeUserData SetUserData(FakeUser user, FakeItem item, Action<FakeUserData> change)
    {
        lock (Sync)
        {
            if (!userData.TryGetValue(user.Id, out var perUser))
            {
                userData[user.Id] = perUser = new(StringComparer.OrdinalIgnoreCase);
            }
            if (!perUser.TryGetValue(item.Id, out var data))
            {
                perUser[item.Id] = data = new FakeUserData();
            }
            change(data);
            version++;
            return data;
        }
    }

    // A metadata edit on the real servers moves DateLastSaved; call this after changing an item.
    public void Touch(FakeItem item, Action<FakeItem>? change = null) => Write(_ =>
    {
        change?.Invoke(item);
        item.DateLastSaved = Time.GetUtcNow();
    });

    public bool RemoveItem(string id)
    {
        lock (Sync)
        {
            if (!items.TryGetValue(Ids.Normalize(id), out var item))
            {
                return false;
            }
            foreach (var child in children.GetValueOrDefault(item.Id)?.ToArray() ?? [])
            {
                RemoveItem(child.Id);
            }
            items.Remove(item.Id);
            children.Remove(item.Id);
            if (item.ParentId is { } parent && children.TryGetValue(parent, out var siblings))
            {
                siblings.Remove(item);
            }
            Changed();
            return true;
        }
    }

    public FakeToken IssueToken(FakeUser user, string deviceId = "fake-device", string client = "Aperture", string device = "Fake", string version = "1.0")
    {
        lock (Sync)
        {
            // Logging in again from the same device replaces that user's earlier token on both servers.
            foreach (var old in tokens.Values.Where(t => t.UserId == user.Id && t.DeviceId == deviceId).ToList())
            {
                tokens.Remove(old.Token);
            }
            var token = new FakeToken { Token = Ids.NewGuid(), UserId = user.Id, DeviceId = deviceId, Client = client, Device = device, Version = version };
            tokens[token.Token] = token;
            return token;
        }
    }

    public FakeToken AddApiKey(string? key = null)
    {
        var token = new FakeToken { Token = key ?? Ids.NewGuid(), Client = "Aperture" };
        Write(_ => tokens[token.Token] = token);
        return token;
    }

    public bool RevokeToken(string token)
    {
        lock (Sync)
        {
            return tokens.Remove(token);
        }
    }

    // Anything that may change what a query returns; handlers of non-GET routes call it after they run.
    internal void Changed()
    {
        version++;
        inDefaultOrder = null;
    }

    // Paging re-runs one query with a moving StartIndex: its sorted rows are kept until the state changes.
    internal ItemRow[]? CachedResult(string key) =>
        results.TryGetValue(key, out var hit) && hit.Version == version ? hit.Rows : null;

    internal void CacheResult(string key, ItemRow[] rows)
    {
        if (results.Count >= 64)
        {
            results.Clear();
        }
        results[key] = (version, rows);
    }

    internal FakeToken? FindToken(string token) => tokens.GetValueOrDefault(token);

    // Deleted in the dashboard: gone from /Users, their data with them.
    public bool RemoveUser(FakeUser user)
    {
        lock (Sync)
        {
            userData.Remove(user.Id);
            return users.Remove(user);
        }
    }

    internal FakeUser AddUser(FakeUser user)
    {
        Write(_ => users.Add(user));
        return user;
    }

    internal FakeLibrary AddLibrary(FakeLibrary library)
    {
        Write(_ => libraries.Add(library));
        return library;
    }

    // As deleting it on the server does: its items go with it.
    public bool RemoveLibrary(FakeLibrary library)
    {
        lock (Sync)
        {
            foreach (var item in items.Values.Where(i => i.LibraryId == library.ItemId).ToList())
            {
                RemoveItem(item.Id);
            }
            children.Remove(library.ItemId);
            return libraries.Remove(library);
        }
    }

    internal FakeItem AddItem(FakeItem item)
    {
        lock (Sync)
        {
            items[item.Id] = item;
            if (item.ParentId is { } parent)
            {
                if (!children.TryGetValue(parent, out var list))
                {
                    children[parent] = list = [];
                }
                list.Add(item);
            }
            Changed();
            return item;
        }
    }

    internal FakeSession AddSession(FakeSession session)
    {
        Write(_ =>
        {
            sessions.RemoveAll(s => s.UserId == session.UserId && s.DeviceId == session.DeviceId && session.DeviceId != "");
            sessions.Add(session);
        });
        return session;
    }

    internal void AddPlayCommand(FakePlayCommand command) => Write(_ => playCommands.Add(command));

    internal FakeItem? ItemOrNull(string id) => items.GetValueOrDefault(Ids.Normalize(id));

    internal IEnumerable<FakeItem> Children(string parentId) => children.GetValueOrDefault(parentId) ?? [];

    internal IEnumerable<FakeItem> Descendants(FakeItem item) => Children(item.Id).SelectMany(c => Descendants(c).Prepend(c));

    internal IReadOnlyDictionary<string, FakeUserData> UserDataOf(FakeUser user) =>
        userData.GetValueOrDefault(user.Id) ?? (IReadOnlyDictionary<string, FakeUserData>)new Dictionary<string, FakeUserData>();

    internal FakeUserData? UserDataOrNull(FakeUser? user, FakeItem item) =>
        user is null ? null : userData.GetValueOrDefault(user.Id)?.GetValueOrDefault(item.Id);

    // Paging a 40k-item catalogue without SortBy re-sorts nothing: requests filter this cached order.
    internal FakeItem[] ItemsInDefaultOrder() => inDefaultOrder ??= [.. items.Values.Order(Api.ItemQuery.DefaultOrder.Instance)];

    internal IEnumerable<FakeLibrary> LibrariesList => libraries;
    internal IEnumerable<FakeUser> UsersList => users;
    internal List<FakeSession> SessionsList => sessions;

    // Jellyfin and Emby both: blocked folders win over EnabledFolders; EnabledFolders only counts when not EnableAllFolders.
    // Emby takes the library Guid there; its numeric ids are silently ignored, which Guid matching reproduces.
    internal Func<FakeItem, bool> Visibility(FakeUser? user)
    {
        if (user is null)
        {
            return _ => true;
        }
        var allowed = AllowedLibraries(user);
        return item => item.Type switch
        {
            FakeItemType.BoxSet => true,
            FakeItemType.Playlist => item.Playlist is { } p && (p.OwnerUserId == user.Id || p.IsPublic || p.Shares.Any(s => s.UserId == user.Id)),
            _ => item.LibraryId is null || allowed.Contains(item.LibraryId),
        };
    }

    // What the server itself would show the user, by its own rules (policy as stored, the dialect's id kind).
    public IReadOnlyList<FakeLibrary> LibrariesVisibleTo(FakeUser user) => Read(_ =>
    {
        var allowed = AllowedLibraries(user);
        return (IReadOnlyList<FakeLibrary>)[.. libraries.Where(l => allowed.Contains(l.ItemId))];
    });

    internal HashSet<string> AllowedLibraries(FakeUser user)
    {
        var blocked = user.BlockedMediaFolders.Select(Ids.Normalize).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var enabled = user.EnabledFolders.Select(Ids.Normalize).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return libraries
            .Where(l => blocked.Count > 0 ? !blocked.Contains(l.Guid) : user.EnableAllFolders || enabled.Contains(l.Guid))
            .Select(l => l.ItemId)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }
}
