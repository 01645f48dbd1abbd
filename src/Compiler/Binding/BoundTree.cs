namespace Policyc.Compiler.Binding;

/// <summary>Walks of the bound tree, shared by the passes that look through a rule without evaluating it.</summary>
public static class BoundTree
{
    /// <summary>
    /// The expression and every operand below it, each node before its operands, operands left to
    /// right (a conditional's condition, then its two arms). A base rule's call is a leaf: what it
    /// holds is that rule's business.
    /// </summary>
    public static IEnumerable<BoundExpression> SelfAndDescendants(this BoundExpression root)
    {
        var pending = new Stack<BoundExpression>();
        pending.Push(root);
        while (pending.TryPop(out var node))
        {
            yield return node;
            var operands = Operands(node);
            for (int i = operands.Count - 1; i >= 0; i--)
                pending.Push(operands[i]);
        }
    }

    static IReadOnlyList<BoundExpression> Operands(BoundExpression e) => e switch
    {
        BoundUnary u => [u.Operand],
        BoundBinary b => [b.Left, b.Right],
        BoundConditional c => [c.Condition, c.WhenTrue, c.WhenFalse],
        BoundConversion conv => [conv.Operand],
        BoundFunctionCall call => call.Arguments,
        _ => [],
    };
}
