using ArchUnitNET.Domain;
using ArchUnitNET.Loader;
using Mono.Cecil.Cil;

namespace Aperture.Tests.Architecture;

// Aperture's parts (the namespaces right under a root: Aperture.Catalog, Aperture.Data...) and who uses whom, read from
// the compiled assembly (signatures and method bodies, not using lines), with the rules of docs/ARCHITECTURE.md.
// The rules take the root as a parameter so that ArchitectureRuleTests can run them against deliberately bad types too.
public sealed class PartGraph
{
    // Parts that hold use cases. They may use each other (no cycles) and the shared parts below them.
    public static readonly IReadOnlySet<string> Features = new HashSet<string>(StringComparer.Ordinal)
    {
        "Browse", "Catalog", "Channels", "Embeddings", "Feedback", "GroupPicks", "History", "Narratives", "Outputs",
        "Recommendations", "TopPicks", "VectorSearch",
    };

    // The HTTP edge: routes, pages, query-string parsing, JSON API options, links.
    public static readonly IReadOnlySet<string> WebLayer = new HashSet<string>(StringComparer.Ordinal) { "Api", "Pages", "Web" };

    // ASP.NET types that only the HTTP edge should hold.
    private static readonly string[] HttpTypes =
    [
        "Microsoft.AspNetCore.Http.HttpContext", "Microsoft.AspNetCore.Http.HttpRequest", "Microsoft.AspNetCore.Http.HttpResponse",
        "Microsoft.AspNetCore.Http.IHttpContextAccessor",
    ];

    public const string HttpContextPart = "(HttpContext)";
    public const string QuartzPart = "(Quartz)";

    // One use of a type of another part (or of HttpContext / Quartz) by a type of a part.
    public sealed record Use(string From, string To, string FromType, string ToType)
    {
        public override string ToString() => $"{From} -> {To}: {FromType} uses {ToType}";
    }

    // A string constant in the compiled code of a part's type (lambdas and async methods count for the type they are in).
    public sealed record Literal(string Part, string Type, string Text)
    {
        public override string ToString() => $"{Part}: {Type} writes \"{Text}\"";
    }

    public string Root { get; }
    public IReadOnlyList<Use> Uses { get; }
    public IReadOnlyList<Literal> Literals { get; }

    private PartGraph(string root, IReadOnlyList<Use> uses, IReadOnlyList<Literal> literals)
    {
        Root = root;
        Uses = uses;
        Literals = literals;
    }

    private static readonly Lazy<PartGraph> App = new(() => Load(typeof(Program).Assembly, "Aperture"));

    public static PartGraph Aperture => App.Value;

    public static PartGraph Load(System.Reflection.Assembly assembly, string root)
    {
        var architecture = new ArchLoader().LoadAssemblies(assembly).Build();
        var uses = new HashSet<Use>();
        foreach (var type in architecture.Types)
        {
            if (PartOf(type.Namespace?.FullName, root) is not { } from)
            {
                continue;
            }
            foreach (var dependency in type.Dependencies)
            {
                // A generic parameter (the T of a method) is no dependency; ArchUnitNET can name it after another method's T.
                if (dependency.Target is not { } target || target is GenericParameter)
                {
                    continue;
                }
                var ns = target.Namespace?.FullName ?? "";
                var to = PartOf(ns, root)
                    ?? (ns == "Quartz" || ns.StartsWith("Quartz.", StringComparison.Ordinal) ? QuartzPart : null)
                    ?? (HttpTypes.Contains(target.FullName) ? HttpContextPart : null);
                if (to is not null && to != from)
                {
                    uses.Add(new Use(from, to, type.FullName, target.FullName));
                }
            }
        }
        return new PartGraph(root, [.. uses.OrderBy(u => u.From).ThenBy(u => u.To).ThenBy(u => u.FromType).ThenBy(u => u.ToType)],
            ReadLiterals(assembly, root));
    }

    // ArchUnitNET sees types, not constants: the strings come from the IL (ldstr), read with Mono.Cecil.
    private static List<Literal> ReadLiterals(System.Reflection.Assembly assembly, string root)
    {
        using var module = Mono.Cecil.ModuleDefinition.ReadModule(assembly.Location);
        var literals = new List<Literal>();
        foreach (var type in module.GetTypes())
        {
            var outer = type;
            while (outer.DeclaringType is not null)
            {
                outer = outer.DeclaringType;
            }
            if (PartOf(outer.Namespace, root) is not { } part)
            {
                continue;
            }
            foreach (var method in type.Methods.Where(m => m.HasBody))
            {
                literals.AddRange(method.Body.Instructions.Where(i => i.OpCode == OpCodes.Ldstr)
                    .Select(i => new Literal(part, outer.FullName, (string)i.Operand)));
            }
        }
        return [.. literals.Distinct()];
    }

    // "Aperture.Catalog.Sub" -> "Catalog"; the root itself (Program, the composition root) and other namespaces -> null.
    private static string? PartOf(string? ns, string root) =>
        ns is not null && ns.StartsWith(root + ".", StringComparison.Ordinal) ? ns[(root.Length + 1)..].Split('.')[0] : null;

    // A feature reaches into the HTTP edge (Pages, Api, Web) or holds the request (HttpContext).
    public IReadOnlyList<Use> FeaturesUsingTheWeb() =>
        [.. Uses.Where(u => Features.Contains(u.From) && (WebLayer.Contains(u.To) || u.To == HttpContextPart))];

    // A feature writes the image route itself instead of handing out a TitleImage for the HTTP edge to link.
    public IReadOnlyList<Literal> FeaturesWritingTheImageRoute() =>
        [.. Literals.Where(l => Features.Contains(l.Part) && (l.Text.Contains("/images/", StringComparison.OrdinalIgnoreCase)
            || l.Text.EndsWith("/images", StringComparison.OrdinalIgnoreCase)))];

    // The media-server client reaches into the database.
    public IReadOnlyList<Use> MediaServersUsingData() => [.. Uses.Where(u => u.From == "MediaServers" && u.To == "Data")];

    // The database knows a feature, the scheduler or the HTTP edge (it should be the bottom of the stack).
    public IReadOnlyList<Use> DataUsingAFeature() =>
        [.. Uses.Where(u => u.From == "Data" && (Features.Contains(u.To) || u.To == "Jobs" || WebLayer.Contains(u.To)))];

    // A feature schedules itself: it uses Quartz or Jobs (the registration API, job definitions, IJob). Jobs registers
    // and runs the features' services; features report through Progress.
    public IReadOnlyList<Use> FeaturesSchedulingThemselves() =>
        [.. Uses.Where(u => Features.Contains(u.From) && (u.To == QuartzPart || u.To == "Jobs"))];

    // Groups of parts that depend on each other in a circle (strongly connected components of more than one part),
    // each as its sorted part names.
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var edges = Uses.Where(u => !u.To.StartsWith('(')).GroupBy(u => u.From)
            .ToDictionary(g => g.Key, g => g.Select(u => u.To).Distinct().ToList());
        var parts = edges.Keys.Concat(edges.Values.SelectMany(v => v)).Distinct().Order(StringComparer.Ordinal).ToList();
        // Tarjan's algorithm; the graph has a few dozen nodes, so recursion depth is no concern.
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var result = new List<IReadOnlyList<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in edges.GetValueOrDefault(v) ?? [])
            {
                if (!index.TryGetValue(w, out var seen))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], seen);
                }
            }
            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                if (component.Count > 1)
                {
                    result.Add([.. component.Order(StringComparer.Ordinal)]);
                }
            }
        }
        foreach (var part in parts.Where(p => !index.ContainsKey(p)))
        {
            Visit(part);
        }
        return [.. result.OrderBy(c => c[0], StringComparer.Ordinal)];
    }

    // The uses that hold a cycle together (both directions inside one component), for the failure message.
    public IEnumerable<Use> UsesWithin(IReadOnlyList<string> component) =>
        Uses.Where(u => component.Contains(u.From) && component.Contains(u.To));
}
