using Policyc.Compiler.Diagnostics;
using Policyc.Compiler.Text;

namespace Policyc.Compiler.Testing;

public enum TestOutcome { Passed, Failed, Error }

/// <summary>One failed expectation, or the fault that stopped the test, at the line that states it.</summary>
public sealed record TestFailure(TextLocation At, string Message)
{
    public override string ToString()
    {
        var p = At.Start;
        return $"{Paths.Display(At.Path)}({p.Line},{p.Column}): {Message}";
    }
}

public sealed record TestResult(BoundTest Test, TestOutcome Outcome, IReadOnlyList<TestFailure> Failures)
{
    public string Display
    {
        get
        {
            var p = Test.Location.Start;
            return $"{Paths.Display(Test.Text.Path)}({p.Line},{p.Column}) \"{Test.Name}\"";
        }
    }
}

/// <summary>Everything a <c>policyc test</c> run found: results, diagnostics of files that did not bind, coverage.</summary>
public sealed record TestRunResult(IReadOnlyList<TestResult> Results, IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<FileCoverage> Coverage)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
    public int Passed => Results.Count(r => r.Outcome == TestOutcome.Passed);
    public int Failed => Results.Count(r => r.Outcome != TestOutcome.Passed);
    public double CoveragePercent => FileCoverage.Percent(Coverage);
}
