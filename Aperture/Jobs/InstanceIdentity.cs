using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Aperture.Jobs;

// The scheduler instance id this process runs jobs under, stable across restarts, so a restarted instance knows the runs
// left "running" under its own id died with it and marks them Interrupted at once, instead of waiting out the stale-heartbeat
// window that other instances' runs are still judged by (JobRunService.RecoverAsync; Quartz likewise recovers its own
// fired triggers on its first cluster check-in).
//
// The id is the host name plus a random token kept in a file in the data folder: two containers with the same data path
// mounted from different volumes have different files, and two sharing one volume have different host names. The file is
// held open exclusively (an operating-system lock, released when the process dies, even by kill -9) for as long as this
// instance runs; a second process that finds it held (same host name on one shared folder) takes a fresh id for this
// run only, so two live processes never share an id. Jobs__InstanceId names the id outright (e.g. a StatefulSet's pod name);
// it must then be unique per running process.
public sealed class InstanceIdentity : IDisposable
{
    public const string FileName = "instance-id";

    private readonly FileStream? held;

    public InstanceIdentity(AppPaths paths, IOptions<JobOptions> options, ILogger<InstanceIdentity> logger)
    {
        var host = Clean(Environment.MachineName);
        if (options.Value.InstanceId is { Length: > 0 } configured)
        {
            Id = configured.Trim();
            if (Id.Length > 200 || Id.Any(char.IsControl))
            {
                throw new StartupException("Jobs__InstanceId must be at most 200 printable characters.");
            }
            Stable = true;
            return;
        }

        var path = Path.Combine(paths.DataDirectory, FileName);
        try
        {
            held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            var token = ReadToken(held);
            if (token is null)
            {
                token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
                held.SetLength(0);
                held.Write(Encoding.ASCII.GetBytes(token + "\n"));
                held.Flush(flushToDisk: true);
            }
            Id = $"{host}-{token}";
            Stable = true;
        }
        catch (IOException e)
        {
            held?.Dispose();
            held = null;
            Id = $"{host}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}-t";
            Stable = false;
            logger.LogWarning("The instance id file {Path} is held by another process on this data folder ({Reason}); running as {Id} for "
                + "this start only, so runs this instance leaves unfinished are found by their stale heartbeat", path, e.Message, Id);
        }
    }

    public string Id { get; }

    // False when the id is a one-off (the id file was held by another process): a restart then cannot recognise its runs.
    public bool Stable { get; }

    public void Dispose() => held?.Dispose();

    private static string? ReadToken(FileStream file)
    {
        if (file.Length is 0 or > 100)
        {
            return null;
        }
        var buffer = new byte[file.Length];
        file.ReadExactly(buffer);
        var text = Encoding.ASCII.GetString(buffer).Trim();
        return text.Length is >= 8 and <= 64 && text.All(char.IsAsciiLetterOrDigit) ? text : null;
    }

    // Quartz stores the id in a 200-character column; a host name is short, but keep it printable and bounded.
    private static string Clean(string host)
    {
        var kept = new string(host.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_').Take(100).ToArray());
        return kept.Length > 0 ? kept : "host";
    }
}
