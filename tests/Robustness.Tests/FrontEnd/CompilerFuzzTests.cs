using CsCheck;
using Policyc.Robustness.Tests.Support;

namespace Policyc.Robustness.Tests.FrontEnd;

/// <summary>
/// Property-based fuzzing of the compiler's front end, in process: 6,000 texts generated from the
/// grammar, 4,000 mutants of the shipped policies and 1,500 of their test files. CsCheck seeds each run afresh and, on a
/// failure, shrinks the input and prints it with the seed that replays it
/// (<c>Sample(..., seed: "...")</c>).
/// </summary>
public class CompilerFuzzTests : IDisposable
{
    const int GrammarInputs = 6_000;
    const int Mutants = 4_000;
    const int TestFileMutants = 1_500;

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
    public void Mutants_of_the_shipped_test_files_never_crash_check_or_fmt()
    {
        // Each test file tests the policy of its name beside it; the mutant is written under the
        // test file's own name, one at a time (the file on disk is the input).
        foreach (var (name, text) in Repository.ShippedPolicies)
            File.WriteAllText(scratch.Combine(name), text);
        int bound = 0;
        MutationGen.TestFileMutation.Sample((file, edits) =>
        {
            string path = scratch.Combine(Repository.ShippedTestFiles[file].Name);
            // A lone surrogate cannot be written as UTF-8: the file holds U+FFFD there, as an editor would save it.
            File.WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(MutationGen.Apply(Repository.ShippedTestFiles[file].Text, edits)));
            if (CompilerOracle.CheckTests(File.ReadAllText(path), path))
                bound++;
        }, iter: TestFileMutants, threads: 1, print: m => MutationGen.Apply(Repository.ShippedTestFiles[m.Item1].Text, m.Item2));

        // Many mutants still bind (an edit in a comment, a changed number): the binder is reached.
        Assert.InRange(bound, TestFileMutants / 20, TestFileMutants - 1);
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
