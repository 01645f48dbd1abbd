using System.Text.RegularExpressions;
using Policyc.Compiler.Binding;
using Policyc.Compiler.Diagnostics;
using Policyc.Compiler.Emit;
using Policyc.Compiler.Formatting;
using Policyc.Compiler.Interpretation;
using Policyc.Compiler.Syntax;
using Policyc.Compiler.Text;

namespace Policyc.Robustness.Tests.Support;

/// <summary>
/// What must hold for any text given to the compiler, whatever it is: what <c>policyc check</c>,
/// <c>build</c> and <c>fmt</c> do, in process. Nothing throws; a rejected text has at least one
/// error and every diagnostic lies inside the text; an accepted one assembles a table, emits C#
/// and, when asked, compiles with Roslyn without the internal-error diagnostic; fmt output is
/// idempotent and parses again.
/// </summary>
static partial class CompilerOracle
{
    [GeneratedRegex(@"^RP\d{4}$")]
    private static partial Regex CodePattern();

    /// <summary>Returns true when the text was accepted.</summary>
    /// <param name="inspectCSharp">Also parse the generated C# with Roslyn and check its shape (a few ms each).</param>
    /// <param name="compileWithRoslyn">Also compile it and check the assembly's references (tens of ms each).</param>
    public static bool Check(string text, string path, bool inspectCSharp, bool compileWithRoslyn)
    {
        var compilation = PolicyCompilation.FromText(text, path);
        var diagnostics = compilation.Diagnostics;
        foreach (var d in diagnostics)
            AssertWellFormed(d, text, path);

        bool accepted = compilation.Policy is not null;
        if (accepted)
        {
            Assert.False(compilation.HasErrors);
            var policy = compilation.Policy!;
            Assert.NotNull(TableAssembler.Assemble(policy, rule => Interpreter.CreateDelegate(rule, policy.Directory)));
            string csharp = CSharpEmitter.Emit(policy);
            Assert.NotEmpty(csharp);
            if (inspectCSharp || compileWithRoslyn)
                GeneratedCode.AssertOnlyRuleMethods(csharp);
            if (compileWithRoslyn)
            {
                var build = PolicyBuilder.Build(compilation, cache: null);
                Assert.True(build.Table is not null, string.Join("\n", build.Diagnostics));
                GeneratedCode.AssertOnlyContractReferences(build.Image!);
            }
        }
        else
        {
            Assert.Contains(diagnostics, d => d.IsError);
        }

        CheckFormatter(text, path);
        return accepted;
    }

    /// <summary>
    /// What <c>policyc check</c> does with a file of tests: binds them against the policy they test
    /// (NAME.rpol beside <paramref name="path"/>, which holds <paramref name="text"/>). Nothing
    /// throws, every diagnostic is well formed, and fmt holds as for policies. Returns true when the
    /// tests bound without an error.
    /// </summary>
    public static bool CheckTests(string text, string path)
    {
        var diagnostics = Policyc.Compiler.Testing.TestRunner.Check(path);
        foreach (var d in diagnostics)
            AssertWellFormed(d, text, path);
        CheckFormatter(text, path);
        return !diagnostics.Any(d => d.IsError);
    }

    static void AssertWellFormed(Diagnostic d, string text, string path)
    {
        Assert.Matches(CodePattern(), d.Code);
        Assert.False(string.IsNullOrWhiteSpace(d.Message), d.ToString());
        Assert.True(d.Start.Line >= 1 && d.Start.Column >= 1, d.ToString());
        Assert.True(d.End.Line > d.Start.Line || (d.End.Line == d.Start.Line && d.End.Column >= d.Start.Column), d.ToString());
        if (d.Location is not { } location)
            return;
        Assert.InRange(location.Span.Start, 0, location.Text.Length);
        Assert.InRange(location.Span.End, location.Span.Start, location.Text.Length);
        Assert.InRange(d.Start.Line, 1, location.Text.LineCount);
        // Diagnostics about the fuzzed file itself must point into that text, not some other.
        if (location.Text.Path == path)
            Assert.Equal(text.Length, location.Text.Length);
    }

    static void CheckFormatter(string text, string path)
    {
        var tree = SyntaxTree.Parse(SourceText.From(text, path));
        if (Formatter.Format(tree) is not { } formatted)
        {
            Assert.True(tree.HasErrors, "fmt refused a file without syntax errors");
            return;
        }
        Assert.Equal(formatted, Formatter.Format(formatted, path));
        var reparsed = SyntaxTree.Parse(formatted, path);
        Assert.False(reparsed.HasErrors, string.Join("\n", reparsed.Diagnostics) + "\n--- formatted ---\n" + formatted);
    }
}
