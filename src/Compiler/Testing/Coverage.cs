using Policyc.Compiler.Binding;
using Policyc.Compiler.Interpretation;

namespace Policyc.Compiler.Testing;

/// <summary>A rule or a branch point, named by file and offset so separate compilations of one file agree.</summary>
public readonly record struct CodePoint(string File, int Start, int Length);

/// <summary>What a set of tests exercised: the rules entered and each branch point's outcomes seen.</summary>
public sealed class CoverageRecorder : IEvaluationObserver
{
    readonly HashSet<CodePoint> rules = [];
    readonly HashSet<(CodePoint, bool)> branches = [];

    // The files of the rules being evaluated: a 'base' call evaluates a rule of another file.
    readonly Stack<string> files = new();

    public void RuleEntered(BoundRule rule)
    {
        files.Push(System.IO.Path.GetFullPath(rule.Text.Path));
        rules.Add(new CodePoint(files.Peek(), rule.Syntax.Span.Start, rule.Syntax.Span.Length));
    }

    public void RuleExited(BoundRule rule) => files.Pop();

    public void Branch(BoundExpression branchPoint, bool outcome) =>
        branches.Add((new CodePoint(files.Peek(), branchPoint.Span.Start, branchPoint.Span.Length), outcome));

    public bool Covered(BoundRule rule) => rules.Contains(new CodePoint(System.IO.Path.GetFullPath(rule.Text.Path), rule.Syntax.Span.Start, rule.Syntax.Span.Length));

    public bool Covered(BoundRule rule, BoundExpression branchPoint, bool outcome) =>
        branches.Contains((new CodePoint(System.IO.Path.GetFullPath(rule.Text.Path), branchPoint.Span.Start, branchPoint.Span.Length), outcome));
}

/// <summary>Coverage of one policy file's own rules.</summary>
public sealed record FileCoverage(string File, int Rules, int RulesCovered, int Branches, int BranchesCovered, IReadOnlyList<string> Uncovered)
{
    public static FileCoverage Of(BoundPolicy policy, string displayPath, CoverageRecorder recorder)
    {
        int rules = 0, rulesCovered = 0, branches = 0, branchesCovered = 0;
        var uncovered = new List<string>();
        foreach (var rule in policy.Rules)
        {
            rules++;
            var at = rule.Text.GetLinePosition(rule.Syntax.Span.Start);
            if (recorder.Covered(rule))
                rulesCovered++;
            else
                uncovered.Add($"{displayPath}({at.Line},{at.Column}): rule {rule.Key} never decided");
            foreach (var point in BranchPoints.Of(rule.Body))
            {
                foreach (bool outcome in new[] { true, false })
                {
                    branches++;
                    if (recorder.Covered(rule, point, outcome))
                        branchesCovered++;
                    else if (recorder.Covered(rule))
                    {
                        var p = rule.Text.GetLinePosition(point.Span.Start);
                        uncovered.Add($"{displayPath}({p.Line},{p.Column}): {Describe(point)} never {(outcome ? "true" : "false")} in rule {rule.Key}");
                    }
                }
            }
        }
        return new FileCoverage(displayPath, rules, rulesCovered, branches, branchesCovered, uncovered);
    }

    static string Describe(BoundExpression point) => point switch
    {
        BoundConditional => "condition of '?:'",
        BoundBinary { Operator: BinaryOperator.LogicalAnd } => "'&&'",
        _ => "'||'",
    };

    /// <summary>Rules and branch outcomes together, as a percentage of all of them.</summary>
    public static double Percent(IEnumerable<FileCoverage> files)
    {
        int total = 0, covered = 0;
        foreach (var f in files)
        {
            total += f.Rules + f.Branches;
            covered += f.RulesCovered + f.BranchesCovered;
        }
        return total == 0 ? 100 : 100.0 * covered / total;
    }
}

/// <summary>The branch points of a bound expression: conditionals and short-circuit operators.</summary>
public static class BranchPoints
{
    public static IEnumerable<BoundExpression> Of(BoundExpression e) =>
        e.SelfAndDescendants().Where(n => n is BoundConditional or BoundBinary { Operator: BinaryOperator.LogicalAnd or BinaryOperator.LogicalOr });
}
