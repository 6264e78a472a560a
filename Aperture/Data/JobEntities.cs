using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aperture.Data;

public enum JobRunStatus { Queued, Running, Succeeded, Failed, Cancelled, Interrupted }

// One run of a job. Progress lives here (not in process memory) so that any instance can show it.
public sealed class JobRun
{
    public long Id { get; set; }
    public required string JobName { get; set; }
    public JobRunStatus Status { get; set; }
    public required string Trigger { get; set; }
    public string? RequestedBy { get; set; }
    public string? InstanceId { get; set; }
    public DateTimeOffset QueuedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public DateTimeOffset? HeartbeatAt { get; set; }
    public long Current { get; set; }
    public long? Total { get; set; }
    public string? Stage { get; set; }
    public string? Message { get; set; }
    public double? RatePerSecond { get; set; }
    public string? Error { get; set; }
    public bool CancelRequested { get; set; }
    public Dictionary<string, long> Counts { get; set; } = [];
}

public sealed class JobRunLog
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Level { get; set; }
    public required string Text { get; set; }
}

public enum ScheduleKind { Manual, Daily, Weekly, EveryHours, Cron }

// The admin's schedule for a job; Quartz triggers are derived from it.
public sealed class JobSchedule
{
    public required string JobName { get; set; }
    public ScheduleKind Kind { get; set; }
    public TimeOnly? TimeOfDay { get; set; }
    public DayOfWeek? DayOfWeek { get; set; }
    public int? EveryHours { get; set; }
    public string? Cron { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class JobRunConfiguration : IEntityTypeConfiguration<JobRun>
{
    public void Configure(EntityTypeBuilder<JobRun> builder)
    {
        builder.ToTable("job_runs");
        builder.HasKey(r => r.Id);
        builder.HasIndex(r => new { r.JobName, r.QueuedAt });
        builder.HasIndex(r => r.Status);
        // At most one queued or running run per job: "run now" twice cannot both get through.
        builder.HasIndex(r => r.JobName).IsUnique().HasFilter("\"Status\" IN ('Queued', 'Running')").HasDatabaseName("ux_job_runs_one_active");
        builder.Property(r => r.JobName).HasMaxLength(100);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Trigger).HasMaxLength(20);
        builder.Property(r => r.InstanceId).HasMaxLength(200);
        builder.Property(r => r.Counts).HasConversion(
            v => System.Text.Json.JsonSerializer.Serialize(v, (System.Text.Json.JsonSerializerOptions?)null),
            v => System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, long>>(v, (System.Text.Json.JsonSerializerOptions?)null) ?? new(),
            new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<Dictionary<string, long>>(
                (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
                v => v.Aggregate(0, (h, kv) => HashCode.Combine(h, kv.Key, kv.Value)),
                v => new Dictionary<string, long>(v)));
    }
}

internal sealed class JobRunLogConfiguration : IEntityTypeConfiguration<JobRunLog>
{
    public void Configure(EntityTypeBuilder<JobRunLog> builder)
    {
        builder.ToTable("job_run_logs");
        builder.HasKey(l => l.Id);
        builder.HasIndex(l => l.RunId);
        builder.Property(l => l.Level).HasMaxLength(10);
        builder.HasOne<JobRun>().WithMany().HasForeignKey(l => l.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class JobScheduleConfiguration : IEntityTypeConfiguration<JobSchedule>
{
    public void Configure(EntityTypeBuilder<JobSchedule> builder)
    {
        builder.ToTable("job_schedules");
        builder.HasKey(s => s.JobName);
        builder.Property(s => s.JobName).HasMaxLength(100);
        builder.Property(s => s.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.Cron).HasMaxLength(120);
    }
}
