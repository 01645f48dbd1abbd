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

    // Roslyn parses (checking the generated C#'s shape) and compiles samples of the accepted inputs:
    // all of them would take minutes. The injection tests check the shape on every hostile input.
    const int InspectEvery = 10;
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
            int i = Interlocked.Increment(ref index);
            if (CompilerOracle.Check(text, path, i % InspectEvery == 0, i % RoslynEvery == 0))
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
            int i = Interlocked.Increment(ref index);
            CompilerOracle.Check(MutationGen.Apply(policy, edits), path, i % InspectEvery == 0, i % RoslynEvery == 0);
        }, iter: Mutants, print: m => MutationGen.Apply(m.Item1, m.Item2));
    }
}
