using Policyc.Compiler.Binding;

namespace Policyc.Compiler.Interpretation;

/// <summary>
/// Hears what the interpreter does: which rules it entered and left (a <c>base</c> call enters the base
/// rule too) and which way each branch point went. A branch point is a conditional (<c>?:</c>,
/// outcome = its condition) or a <c>&amp;&amp;</c>/<c>||</c> (outcome = its result).
/// </summary>
public interface IEvaluationObserver
{
    void RuleEntered(BoundRule rule);

    /// <summary>The rule entered last has returned (or faulted); branches now belong to its caller.</summary>
    void RuleExited(BoundRule rule);

    void Branch(BoundExpression branchPoint, bool outcome);
}
