using BenchmarkDotNet.Attributes;
using Policyc.Runtime.Policy;

namespace Policyc.Benchmarks.Hooks;

/// <summary>
/// Each linux-3.13 rule, called through its delegate over the same varied inputs, five ways: the
/// hand-written static method (the baseline), the compiled rule as <c>policyc run</c> loads it, the same
/// compiled code outside a collectible context, the interpreter, and the runtime tests' hand-written
/// lambda. Times are per call (<see cref="ContextsPerPass"/> calls per invocation).
/// </summary>
public class HookBenchmarks
{
    public const int ContextsPerPass = 256;

    /// <summary>Which rules to measure; set before the run (all of them, or a few in quick mode).</summary>
    public static IReadOnlyList<HookCase> Cases { get; set; } = HookCase.All;

    public static IEnumerable<string> CaseNames => Cases.Select(c => c.Name);

    [ParamsSource(nameof(CaseNames))]
    public string Hook { get; set; } = "";

    HookContext[] contexts = [];
    HookLoop handwritten = null!, compiled = null!, compiledDefaultContext = null!, interpreted = null!, lambda = null!;

    [GlobalSetup]
    public void Setup()
    {
        var tables = HookTables.Instance;
        var hookCase = HookCase.Find(Hook);
        // 256 contexts of ~450 bytes stay in the L2 cache, as the one context the kernel reuses stays in L1:
        // the loop measures calls, not memory traffic.
        contexts = ContextMix.Create(ContextsPerPass, seed: 313);
        handwritten = new HookLoop(hookCase.Handwritten);
        compiled = new HookLoop(hookCase.From(tables.Compiled));
        compiledDefaultContext = new HookLoop(hookCase.From(tables.CompiledDefaultContext));
        interpreted = new HookLoop(hookCase.From(tables.Interpreted));
        lambda = new HookLoop(hookCase.From(tables.HandwrittenLambdas));
        Agreement.Require(hookCase.Name, contexts, handwritten, ("compiled", compiled), ("compiled (default context)", compiledDefaultContext), ("interpreted", interpreted));
        ReachFullOptimization();
    }

    /// <summary>
    /// Tiered compilation recompiles a method fully optimised only after 30 calls and a quiet 100 ms
    /// with no new first-time compiles. The generated methods are new to the process for every hook, so
    /// call each rule enough, pause, and repeat, before BenchmarkDotNet's own warm-up starts timing.
    /// </summary>
    void ReachFullOptimization()
    {
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 40; i++)
            {
                handwritten.Run(contexts);
                compiled.Run(contexts);
                compiledDefaultContext.Run(contexts);
                lambda.Run(contexts);
            }
            interpreted.Run(contexts);
            Thread.Sleep(150);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = ContextsPerPass)]
    public long Handwritten() => handwritten.Run(contexts);

    [Benchmark(OperationsPerInvoke = ContextsPerPass)]
    public long Compiled() => compiled.Run(contexts);

    [Benchmark(OperationsPerInvoke = ContextsPerPass)]
    public long CompiledDefaultContext() => compiledDefaultContext.Run(contexts);

    [Benchmark(OperationsPerInvoke = ContextsPerPass)]
    public long Interpreted() => interpreted.Run(contexts);

    [Benchmark(OperationsPerInvoke = ContextsPerPass)]
    public long HandwrittenLambda() => lambda.Run(contexts);
}
