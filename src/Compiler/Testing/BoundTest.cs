using Policyc.Compiler.Binding;
using Policyc.Compiler.Syntax;
using Policyc.Compiler.Text;
using Policyc.Runtime.Policy;

namespace Policyc.Compiler.Testing;

public enum Comparison { Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual }

/// <summary>A context field a test sets; <see cref="Field"/> is null for <c>zone.max_free_order</c>.</summary>
public sealed record BoundGiven(string Name, FieldSymbol? Field, long Value, TextSpan Span);

/// <summary>What an expectation reads: a hook's decision (for a shrinker hook, for one named shrinker) or a run metric.</summary>
public abstract record ExpectationTarget(PolicyType Type)
{
    public abstract string Display { get; }
}

public sealed record HookTarget(HookDescriptor Hook, string? Shrinker) : ExpectationTarget(Hook.Returns)
{
    public override string Display => Shrinker is null ? Hook.QualifiedName : $"shrinker \"{Shrinker}\".{Hook.Name}";
}

public sealed record MetricTarget(RunMetric Metric) : ExpectationTarget(Metric.Type)
{
    public override string Display => Metric.Name;
}

public sealed record BoundExpectation(ExpectationTarget Target, Comparison Comparison, long Expected, TextSpan Span)
{
    public bool Holds(long actual) => Comparison switch
    {
        Comparison.Equal => actual == Expected,
        Comparison.NotEqual => actual != Expected,
        Comparison.Less => actual < Expected,
        Comparison.LessOrEqual => actual <= Expected,
        Comparison.Greater => actual > Expected,
        _ => actual >= Expected,
    };

    public static string Symbol(Comparison c) => c switch
    {
        Comparison.Equal => "==",
        Comparison.NotEqual => "!=",
        Comparison.Less => "<",
        Comparison.LessOrEqual => "<=",
        Comparison.Greater => ">",
        _ => ">=",
    };
}

/// <summary>The scenario run of a scenario test: a built-in scenario, a seed, optionally a shorter duration and a number of NUMA nodes.</summary>
public sealed record ScenarioRun(string Scenario, ulong? Seed, long? DurationNs, int? Nodes = null);

/// <summary>One test, bound against the policy it tests.</summary>
public sealed record BoundTest(
    string Name,
    TestSyntax Syntax,
    SourceText Text,
    BoundPolicy Policy,
    IReadOnlyList<BoundGiven> Givens,
    IReadOnlyList<BoundExpectation> Expectations,
    ScenarioRun? Scenario)
{
    public TextLocation Location => new(Text, Syntax.Name.Span);
}
