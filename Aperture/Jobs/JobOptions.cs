namespace Aperture.Jobs;

// Timings of the job system, bound from the "Jobs" configuration section (Jobs__StaleAfter=00:02:00).
public sealed class JobOptions
{
    // A running job's progress reaches the database at most this often (and on every stage change).
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    // A running job proves it is alive at least this often, even when it reports nothing.
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    // How often a running job looks for a cancel request made on any instance.
    public TimeSpan CancelPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    // This instance's id (Jobs__InstanceId), unique per running process; unset, it is the host name plus a token kept in the
    // data folder (InstanceIdentity), stable across restarts.
    public string? InstanceId { get; set; }

    // On a clustered PostgreSQL, a run whose heartbeat is older than this belongs to a dead instance.
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(1);

    // Clustered PostgreSQL: how often each instance's scheduler checks in with the others, and how late a check-in may be
    // before the others take the instance for dead and release the job it was running (until then that job cannot start
    // anywhere). Quartz's own defaults.
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(7.5);

    public TimeSpan ClusterCheckinMisfireThreshold { get; set; } = TimeSpan.FromSeconds(7.5);

    // Log lines kept per run; the rest are counted, not stored.
    public int MaxLogLines { get; set; } = 500;

    // How often the SSE stream reads a run's row.
    public TimeSpan StreamPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}
