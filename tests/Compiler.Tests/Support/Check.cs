using Policyc.Compiler.Binding;
using Policyc.Compiler.Diagnostics;

namespace Policyc.Compiler.Tests.Support;

/// <summary>Compiles annotated policies and compares diagnostics with the marked spans.</summary>
static class Check
{
    /// <summary>
    /// A policy extending linux-3.13 with <paramref name="body"/> inside it; expects exactly the given
    /// codes, in order, at the marked spans.
    /// </summary>
    public static IReadOnlyList<Diagnostic> Derived(string body, params string[] codes) =>
        Policy("policy test extends linux-3.13 {\n" + body + "\n}\n", codes);

    public static IReadOnlyList<Diagnostic> Policy(string annotatedSource, params string[] codes)
    {
        var annotated = AnnotatedText.Parse(annotatedSource);
        using var dir = new TempPolicies();
        string path = dir.Write("test.rpol", annotated.Text);
        var diagnostics = PolicyCompilation.Load(path).Diagnostics
            .Where(d => Path.GetFileName(d.Path) == "test.rpol")
            .ToArray();
        string Describe() => string.Join("\n", diagnostics.Select(d => $"{d} @{d.Span}"));
        Assert.True(codes.Length == diagnostics.Length, $"expected {string.Join(", ", codes)}; got:\n{Describe()}");
        Assert.Equal(codes, diagnostics.Select(d => d.Code));
        if (annotated.Spans.Count > 0)
        {
            Assert.True(annotated.Spans.Count == diagnostics.Length, $"{annotated.Spans.Count} marked spans for:\n{Describe()}");
            for (int i = 0; i < diagnostics.Length; i++)
                Assert.True(annotated.Spans[i] == diagnostics[i].Span, $"diagnostic {i}: expected span {annotated.Spans[i]}, got:\n{Describe()}");
        }
        return diagnostics;
    }
}
