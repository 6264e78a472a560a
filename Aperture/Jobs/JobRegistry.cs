using Aperture.Progress;

namespace Aperture.Jobs;

// Every job registered with services.AddJob<T>(definition), by name, in pipeline order (JobNames.DisplayOrder; jobs it
// does not name follow in registration order).
public sealed class JobRegistry
{
    private readonly Dictionary<string, JobDefinition> byName = new(StringComparer.Ordinal);

    public JobRegistry(IEnumerable<JobDefinition> definitions)
    {
        foreach (var definition in definitions)
        {
            if (!byName.TryAdd(definition.Name, definition))
            {
                throw new InvalidOperationException($"Two jobs are registered as '{definition.Name}'.");
            }
        }
        All = [.. byName.Values.Select((d, i) => (d, i))
            .OrderBy(x => Array.IndexOf(JobNames.DisplayOrder, x.d.Name) is var at and >= 0 ? at : JobNames.DisplayOrder.Length + x.i)
            .Select(x => x.d)];
    }

    public IReadOnlyList<JobDefinition> All { get; }

    public JobDefinition? Find(string? name) => name is not null && byName.TryGetValue(name, out var d) ? d : null;
}
