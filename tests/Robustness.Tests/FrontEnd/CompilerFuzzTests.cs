using CsCheck;
using Policyc.Robustness.Tests.Support;

namespace Policyc.Robustness.Tests.FrontEnd;

/// <summary>
/// Property-based fuzzing of the compiler's front end, in process: 6,000 texts generated from the
/// grammar and 4,000 mutants of the shipped policies. CsCheck seeds each run afresh and, on a
/// failure, shrinks the input and prints it with the seed that replays it
/// (<c>Sample(..., seed: "...")</c>).
/// </summary>
public class CompilerFuzzTests : IDisposable
{
    const int GrammarInputs = 6_000;
    const int Mutants = 4_000;

    // Roslyn compiles a sample of the accepted inputs: all of them would take minutes.
    const int RoslynEvery = 500;

    readonly ScratchDirectory scratch = new();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void Texts_generated_from_the_grammar_never_crash_check_build_or_fmt()
    {
        string path = scratch.Combine("fuzzed.rpol");
        int accepted = 0, index = 0;
        RpolGen.Policy.Sample(text =>
        {
            bool roslyn = Interlocked.Increment(ref index) % RoslynEvery == 0;
            if (CompilerOracle.Check(text, path, roslyn))
                Interlocked.Increment(ref accepted);
        }, iter: GrammarInputs, print: text => text);

        // The generator is meant to reach the binder and emitter, not only the parser's error paths.
        Assert.InRange(accepted, GrammarInputs / 50, GrammarInputs);
    }

    [Fact]
    public void Mutants_of_the_shipped_policies_never_crash_check_build_or_fmt()
    {
        string path = scratch.Combine("mutant.rpol");
        int index = 0;
        MutationGen.Mutation.Sample((policy, edits) =>
        {
            bool roslyn = Interlocked.Increment(ref index) % RoslynEvery == 0;
            CompilerOracle.Check(MutationGen.Apply(policy, edits), path, roslyn);
        }, iter: Mutants, print: m => MutationGen.Apply(m.Item1, m.Item2));
    }
}
