namespace Aperture.Jobs;

// Every job registered with services.AddJob<T>(definition), by name, in registration order.
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
        All = [.. byName.Values];
    }

    public IReadOnlyList<JobDefinition> All { get; }

    public JobDefinition? Find(string? name) => name is not null && byName.TryGetValue(name, out var d) ? d : null;
}
