using Policyc.Runtime.Policy;

namespace Policyc.Benchmarks.Hooks;

/// <summary>
/// One rule in each of the five forms the benchmarks compare, over one input mix, checked to agree
/// before anything is timed.
/// </summary>
public sealed class HookVariants
{
    /// <summary>256 contexts of ~450 bytes stay in the L2 cache, as the one context the kernel reuses
    /// stays in L1: the loop measures calls, not memory traffic.</summary>
    public const int ContextsPerPass = 256;

    public HookContext[] Contexts { get; }
    public HookLoop Handwritten { get; }
    public HookLoop Compiled { get; }
    public HookLoop CompiledDefaultContext { get; }
    public HookLoop Interpreted { get; }
    public HookLoop HandwrittenLambda { get; }

    public HookVariants(HookCase hookCase, HookTables tables)
    {
        Contexts = ContextMix.Create(ContextsPerPass, seed: 313);
        Handwritten = new HookLoop(hookCase.Handwritten);
        Compiled = new HookLoop(hookCase.From(tables.Compiled));
        CompiledDefaultContext = new HookLoop(hookCase.From(tables.CompiledDefaultContext));
        Interpreted = new HookLoop(hookCase.From(tables.Interpreted));
        HandwrittenLambda = new HookLoop(hookCase.From(tables.HandwrittenLambdas));
        Agreement.Require(hookCase.Name, Contexts, Handwritten,
            ("compiled", Compiled), ("compiled (default context)", CompiledDefaultContext), ("interpreted", Interpreted));
    }

    public IEnumerable<(string Name, HookLoop Loop)> All =>
    [
        (nameof(Handwritten), Handwritten),
        (nameof(Compiled), Compiled),
        (nameof(CompiledDefaultContext), CompiledDefaultContext),
        (nameof(Interpreted), Interpreted),
        (nameof(HandwrittenLambda), HandwrittenLambda),
    ];

    /// <summary>
    /// Tiered compilation recompiles a method fully optimised only after 30 calls and a quiet 100 ms
    /// with no new first-time compiles. The generated methods are new to the process for every hook, so
    /// call each rule enough, pause, and repeat, before anything is timed.
    /// </summary>
    public void ReachFullOptimization()
    {
        for (int round = 0; round < 3; round++)
        {
            foreach (var (_, loop) in All)
                for (int i = 0; i < (loop == Interpreted ? 2 : 40); i++)
                    loop.Run(Contexts);
            Thread.Sleep(150);
        }
    }
}
