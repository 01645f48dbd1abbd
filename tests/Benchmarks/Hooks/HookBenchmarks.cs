using BenchmarkDotNet.Attributes;

namespace Policyc.Benchmarks.Hooks;

/// <summary>
/// Each linux-3.13 rule, called through its delegate over the same varied inputs, five ways: the
/// hand-written static method (the baseline), the compiled rule as <c>policyc run</c> loads it, the same
/// compiled code outside a collectible context, the interpreter, and the runtime tests' hand-written
/// lambda. Times are per call (<see cref="HookVariants.ContextsPerPass"/> calls per invocation).
/// </summary>
public class HookBenchmarks
{
    const int Calls = HookVariants.ContextsPerPass;

    /// <summary>Which rules to measure; set before the run (all of them, or a few in quick mode).</summary>
    public static IReadOnlyList<HookCase> Cases { get; set; } = HookCase.All;

    public static IEnumerable<string> CaseNames => Cases.Select(c => c.Name);

    [ParamsSource(nameof(CaseNames))]
    public string Hook { get; set; } = "";

    HookVariants v = null!;

    [GlobalSetup]
    public void Setup()
    {
        v = new HookVariants(HookCase.Find(Hook), HookTables.Instance);
        v.ReachFullOptimization();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls)]
    public long Handwritten() => v.Handwritten.Run(v.Contexts);

    [Benchmark(OperationsPerInvoke = Calls)]
    public long Compiled() => v.Compiled.Run(v.Contexts);

    [Benchmark(OperationsPerInvoke = Calls)]
    public long CompiledDefaultContext() => v.CompiledDefaultContext.Run(v.Contexts);

    [Benchmark(OperationsPerInvoke = Calls)]
    public long Interpreted() => v.Interpreted.Run(v.Contexts);

    [Benchmark(OperationsPerInvoke = Calls)]
    public long HandwrittenLambda() => v.HandwrittenLambda.Run(v.Contexts);
}
