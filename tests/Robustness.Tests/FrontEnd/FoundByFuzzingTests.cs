using Policyc.Compiler.Binding;
using Policyc.Compiler.Formatting;
using Policyc.Robustness.Tests.Support;

namespace Policyc.Robustness.Tests.FrontEnd;

/// <summary>
/// Inputs the fuzzers found that once broke a property, reduced by hand and kept here so the bug
/// stays fixed whatever seed the fuzzers draw next.
/// </summary>
public class FoundByFuzzingTests : IDisposable
{
    readonly ScratchDirectory scratch = new();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void A_comment_inside_a_rule_ends_the_aligned_run_on_the_first_fmt()
    {
        // The comment moves above its rule; on a second fmt that comment line ended the run, so
        // 'kmem_retry_wait' lost its alignment: fmt was not idempotent (mutant seed 8HiwkGXYpB81).
        string text = "policy p extends linux-3.13 {\n  xfs {\n    kmem_retry_wait = 1ms;\n    deadlock_warn_every = 1 // note\n      + 2;\n  }\n}\n";
        string once = Formatter.Format(text, "p.rpol")!;
        Assert.Equal(once, Formatter.Format(once, "p.rpol"));
        Assert.Contains("    kmem_retry_wait = 1ms;\n    // note\n    deadlock_warn_every = 1\n", once);
    }

    [Fact]
    public void A_NUL_in_a_quoted_base_path_is_a_diagnostic_not_an_exception()
    {
        var compilation = PolicyCompilation.FromText("policy q extends \"a\0b\" { }\n", scratch.Combine("q.rpol"));
        Assert.Equal("RP0200", Assert.Single(compilation.Diagnostics, d => d.IsError).Code);
    }

    [Fact]
    public void A_NUL_in_an_unquoted_base_name_is_a_diagnostic_not_an_exception()
    {
        // The parser's error recovery keeps the NUL in the name it reports (mutant seed 0WOd2X1IDq12);
        // the base's file path was then built from it and Path.GetFullPath threw.
        var compilation = PolicyCompilation.FromText("policy q extends linux-3.\013 { }\n", scratch.Combine("q.rpol"));
        Assert.Contains(compilation.Diagnostics, d => d.IsError);
    }
}
