using Policyc.Compiler.Binding;
using Policyc.Compiler.Interpretation;
using Policyc.Compiler.Testing;
using Policyc.Runtime.Policy;

namespace Policyc.Compiler.Diffing;

/// <summary>A rule in force that is written differently in the two policies (or exists in one only).</summary>
public sealed record RuleChange(string Rule, RuleOrigin? Before, RuleOrigin? After);

/// <summary>Inputs where the decision went from <see cref="Before"/> to <see cref="After"/>, and the region they span.</summary>
public sealed record DecisionChange(string Before, string After, int Count, IReadOnlyList<(string Dimension, string Values)> Where);

/// <summary>One hook (for shrinker hooks: one shrinker) whose decision differs somewhere in the grid.</summary>
public sealed record HookDiff(string Hook, int Differing, IReadOnlyList<DecisionChange> Changes)
{
    /// <summary>Other shrinker patterns decided by the same two rules, with the same differences.</summary>
    public IReadOnlyList<string> AlsoFor { get; init; } = [];
}

public sealed record PolicyDiffResult(
    string Before,
    string After,
    IReadOnlyList<RuleChange> Rules,
    IReadOnlyList<HookDiff> Decisions,
    int Inputs)
{
    public bool Identical => Rules.Count == 0 && Decisions.Count == 0;
}

/// <summary>
/// The semantic diff of two policies: which rules in force are written differently, and where on the
/// <see cref="DecisionGrid"/> the two decide differently, grouped by hook and by the change of value,
/// with the region of the grid each change covers. Both policies are evaluated by the interpreter.
/// </summary>
public static class PolicyDiff
{
    /// <summary>Shrinker names always compared: the simulated machine's shrinker.</summary>
    public static IReadOnlyList<string> KnownShrinkers { get; } = ["sb-xfs"];

    public static PolicyDiffResult Compare(BoundPolicy before, BoundPolicy after)
    {
        var rules = new List<RuleChange>();
        var decisions = new List<(HookDiff Diff, BoundRule A, BoundRule B)>();
        var contexts = DecisionGrid.Points.Select(DecisionGrid.Context).ToArray();
        string here = Directory.GetCurrentDirectory();
        foreach (var (hook, shrinker, display) in Targets(before, after))
        {
            var a = RuleResolver.Resolve(before, hook.Id, shrinker);
            var b = RuleResolver.Resolve(after, hook.Id, shrinker);
            if (a is null && b is null || a is not null && b is not null && Same(a, b))
                continue;
            var written = (b ?? a)!.Key.ToString();
            if (!rules.Any(r => r.Rule == written && r.Before?.ToString() == a?.OriginRelativeTo(here).ToString()))
                rules.Add(new RuleChange(written, a?.OriginRelativeTo(here), b?.OriginRelativeTo(here)));
            if (a is null || b is null)
                continue;
            string name = shrinker is null ? hook.QualifiedName : $"shrinker \"{display}\".{hook.Name}";
            if (Decide(hook, a, b, contexts) is not { } diff)
                continue;
            // A pattern's sample shrinker decided by the same two rules as one already shown adds nothing.
            int same = decisions.FindIndex(d => d.A == a && d.B == b && d.Diff.Changes.SequenceEqual(diff.Changes, ChangeComparer.Instance));
            if (same >= 0)
            {
                var first = decisions[same];
                decisions[same] = first with { Diff = first.Diff with { AlsoFor = [.. first.Diff.AlsoFor, display] } };
                continue;
            }
            decisions.Add((diff with { Hook = name }, a, b));
        }
        return new PolicyDiffResult(before.Name, after.Name, rules, decisions.Select(d => d.Diff).ToArray(), contexts.Length);
    }

    /// <summary>
    /// Every non-shrinker hook, then each shrinker hook for the simulation's shrinkers and for one
    /// sample name per written pattern (shown as the pattern).
    /// </summary>
    static IEnumerable<(HookDescriptor Hook, string? Shrinker, string Display)> Targets(BoundPolicy before, BoundPolicy after)
    {
        foreach (var hook in HookCatalog.All.Where(h => h.Section != PolicySection.Shrinker))
            yield return (hook, null, hook.QualifiedName);
        var names = KnownShrinkers.Select(n => (Name: n, Display: n))
            .Concat(before.ShrinkerPatterns.Concat(after.ShrinkerPatterns).Select(p => (Name: SampleName(p), Display: p)))
            .DistinctBy(n => n.Name)
            .ToArray();
        foreach (var (name, display) in names)
            foreach (var hook in HookCatalog.All.Where(h => h.Section == PolicySection.Shrinker))
                yield return (hook, name, display);
    }

    /// <summary>A shrinker name a pattern matches: the pattern itself, or with each wildcard made "x".</summary>
    static string SampleName(string pattern) => pattern.Replace('*', 'x').Replace('?', 'x');

    /// <summary>
    /// Rules written at the same place of the same file are the same rule (a <c>base</c> in it reaches
    /// the same base too); so are rules of the same policy written alike in two copies of its file, as
    /// long as each <c>base</c> they call is the same again. Anything else is compared by its decisions.
    /// </summary>
    static bool Same(BoundRule a, BoundRule b)
    {
        if (Path.GetFullPath(a.Text.Path) == Path.GetFullPath(b.Text.Path) && a.Syntax.Span == b.Syntax.Span && a.Text.Text == b.Text.Text)
            return true;
        if (a.Owner.Name != b.Owner.Name || a.SourceCode != b.SourceCode)
            return false;
        // The same text can name constants whose values differ (HZ_50 = 20ms against 40ms): the
        // binder folds them into literals, so those must agree too.
        if (!Literals(a.Body).SequenceEqual(Literals(b.Body)))
            return false;
        var baseA = BaseCalls(a.Body).ToArray();
        var baseB = BaseCalls(b.Body).ToArray();
        return baseA.Length == baseB.Length && baseA.Zip(baseB).All(p => Same(p.First, p.Second));
    }

    /// <summary>The values of the literals in the expression, in order (constants are bound as literals).</summary>
    static IEnumerable<(BoundType, long)> Literals(BoundExpression e) =>
        e.SelfAndDescendants().OfType<BoundLiteral>().Select(l => (l.Type, l.Value));

    static IEnumerable<BoundRule> BaseCalls(BoundExpression e) => e.SelfAndDescendants().OfType<BoundBaseRule>().Select(r => r.Rule);

    sealed class ChangeComparer : IEqualityComparer<DecisionChange>
    {
        public static readonly ChangeComparer Instance = new();
        public bool Equals(DecisionChange? x, DecisionChange? y) =>
            x is not null && y is not null && x.Before == y.Before && x.After == y.After && x.Count == y.Count && x.Where.SequenceEqual(y.Where);
        public int GetHashCode(DecisionChange c) => HashCode.Combine(c.Before, c.After, c.Count);
    }

    static HookDiff? Decide(HookDescriptor hook, BoundRule a, BoundRule b, HookContext[] contexts)
    {
        var changes = new Dictionary<(string, string), List<GridPoint>>();
        int differing = 0;
        for (int i = 0; i < contexts.Length; i++)
        {
            string before = Evaluate(a, hook, contexts[i]);
            string after = Evaluate(b, hook, contexts[i]);
            if (before == after)
                continue;
            differing++;
            if (!changes.TryGetValue((before, after), out var points))
                changes[(before, after)] = points = [];
            points.Add(DecisionGrid.Points[i]);
        }
        if (differing == 0)
            return null;
        var grouped = changes
            .OrderByDescending(c => c.Value.Count)
            .ThenBy(c => c.Key.Item1, StringComparer.Ordinal)
            .Select(c => new DecisionChange(c.Key.Item1, c.Key.Item2, c.Value.Count, Region(c.Value)))
            .ToArray();
        return new HookDiff(hook.QualifiedName, differing, grouped);
    }

    static string Evaluate(BoundRule rule, HookDescriptor hook, in HookContext context)
    {
        try
        {
            return ValueText.Format(Interpreter.Run(rule, rule.Owner.Directory, context), hook.Returns);
        }
        catch (PolicyFault fault)
        {
            return $"fault ({fault.Message})";
        }
    }

    /// <summary>For each dimension not fully covered, the values the points take (orders as ranges).</summary>
    static IReadOnlyList<(string, string)> Region(List<GridPoint> points)
    {
        var region = new List<(string, string)>();
        foreach (var dimension in DecisionGrid.Dimensions)
        {
            var present = points.Select(dimension.Label).ToHashSet();
            if (present.Count == dimension.Values.Count)
                continue;
            var values = dimension.Values.Where(present.Contains).ToArray();
            region.Add((dimension.Name, dimension.Name == "order" ? Ranges(values.Select(int.Parse)) : string.Join(", ", values)));
        }
        return region;
    }

    static string Ranges(IEnumerable<int> sorted)
    {
        var parts = new List<string>();
        int? start = null, end = null;
        foreach (int v in sorted)
        {
            if (end is int e && v == e + 1)
            {
                end = v;
                continue;
            }
            if (start is int s)
                parts.Add(s == end ? $"{s}" : $"{s}-{end}");
            start = end = v;
        }
        if (start is int last)
            parts.Add(last == end ? $"{last}" : $"{last}-{end}");
        return string.Join(", ", parts);
    }
}
