using Aperture.Data;
using Aperture.Progress;

namespace Aperture.Jobs;

// A job as the registry knows it. Kind and Full parameterise one implementation for movies/series
// and delta/full, so there is no copied twin per kind.
public sealed record JobDefinition(
    string Name,
    string DisplayName,
    string Description,
    Type Implementation,
    MediaKind? Kind = null,
    bool Full = false,
    string? DefaultCronSetting = null,
    IReadOnlyList<string>? Locks = null)
{
    // Jobs sharing a lock never run at the same time: a later run waits for an earlier one to end
    // (a catalogue sync removing titles while a history sync or a recommendation run writes rows
    // that point at them would fail the other job).
    public IReadOnlyList<string> Locks { get; init; } = Locks ?? [];

    public static IReadOnlyList<string> DataLock(MediaKind kind) => [$"data:{kind.Slug()}"];

    public static IReadOnlyList<string> AllDataLocks => [.. Enum.GetValues<MediaKind>().SelectMany(DataLock)];
}

public sealed record JobContext(long RunId, JobDefinition Definition, IJobProgress Progress);

// A job's work. Quartz jobs stay thin and forward context.CancellationToken here; tests call it directly.
public interface IJob
{
    Task RunAsync(JobContext context, CancellationToken ct);
}

public static class JobRegistrationExtensions
{
    // Registers a job: its definition for the registry and its implementation (scoped, so its
    // constructor is checked when the container is validated).
    public static IServiceCollection AddJob<T>(this IServiceCollection services, JobDefinition definition) where T : class, IJob
    {
        if (definition.Implementation != typeof(T))
        {
            throw new ArgumentException($"Job {definition.Name} names {definition.Implementation}, not {typeof(T)}.", nameof(definition));
        }
        services.AddSingleton(definition);
        services.AddScoped<T>();
        return services;
    }
}
