using Policyc.Compiler.Diagnostics;
using Policyc.Compiler.Testing;

namespace Policyc.Compiler.Tests.Support;

/// <summary>Runs annotated test blocks against linux-3.13 and compares diagnostics with the marked spans.</summary>
static class CheckTests
{
    /// <summary>Writes <paramref name="annotatedTests"/> as linux-3.13.test.rpol beside a copy of linux-3.13.</summary>
    public static IReadOnlyList<Diagnostic> Diagnostics(string annotatedTests, params string[] codes)
    {
        var annotated = AnnotatedText.Parse(annotatedTests);
        using var dir = new TempPolicies();
        string path = dir.Write("linux-3.13.test.rpol", annotated.Text);
        var diagnostics = TestRunner.Run([path]).Diagnostics.ToArray();
        string Describe() => string.Join("\n", diagnostics.Select(d => $"{d} @{d.Span}"));
        Assert.True(codes.SequenceEqual(diagnostics.Select(d => d.Code)), $"expected {string.Join(", ", codes)}; got:\n{Describe()}");
        for (int i = 0; i < annotated.Spans.Count; i++)
            Assert.True(annotated.Spans[i] == diagnostics[i].Span, $"diagnostic {i}: expected span {annotated.Spans[i]}, got:\n{Describe()}");
        return diagnostics;
    }

    /// <summary>Runs tests (no marks) against linux-3.13 and returns the result.</summary>
    public static TestRunResult Run(string tests)
    {
        using var dir = new TempPolicies();
        string path = dir.Write("linux-3.13.test.rpol", tests);
        return TestRunner.Run([path]);
    }
}
