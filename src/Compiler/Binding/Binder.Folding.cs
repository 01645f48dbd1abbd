namespace Policyc.Compiler.Binding;

/// <summary>Constant folding, with the same arithmetic as the interpreter and the generated code.</summary>
sealed partial class Binder
{
    /// <summary>
    /// Folds an expression whose operands are all constant, and short-circuits on a constant left
    /// operand of && and || or a constant condition, exactly as evaluation would. A division by a
    /// constant zero or a shift by a constant count outside 0..63 fails whatever the other operand,
    /// so it is reported too.
    /// </summary>
    BoundExpression Fold(BoundExpression expression)
    {
        try
        {
            switch (expression)
            {
                case BoundUnary { Operand: BoundLiteral operand } u:
                    return new BoundLiteral(u.Type, Arithmetic.Unary(u.Operator, operand.Type, operand.Value), u.Span);
                case BoundBinary { Operator: BinaryOperator.LogicalAnd, Left: BoundLiteral l } b:
                    return l.Value == 0 ? new BoundLiteral(BoundType.Bool, 0, b.Span) : b.Right;
                case BoundBinary { Operator: BinaryOperator.LogicalOr, Left: BoundLiteral l } b:
                    return l.Value != 0 ? new BoundLiteral(BoundType.Bool, 1, b.Span) : b.Right;
                case BoundBinary { Left: BoundLiteral l, Right: BoundLiteral r } b:
                    return new BoundLiteral(b.Type, Arithmetic.Binary(b.Operator, l.Value, r.Value), b.Span);
                case BoundBinary { Right: BoundLiteral r } b:
                    // A constant right operand can doom the operation whatever the left one is
                    // (C#'s "division by constant zero"): fail here rather than in every run.
                    Arithmetic.CheckConstantRight(b.Operator, r.Value);
                    return expression;
                case BoundConditional { Condition: BoundLiteral c } cond:
                    return c.Value != 0 ? cond.WhenTrue : cond.WhenFalse;
                case BoundConversion { Operand: BoundLiteral operand } conv:
                    return new BoundLiteral(conv.Type, Arithmetic.Convert(conv.Kind, operand.Value), conv.Span);
                default:
                    return expression;
            }
        }
        catch (ArithmeticException e)
        {
            diagnostics.ReportConstantFault(At(expression.Span), Arithmetic.Explain(e));
            return new BoundError(expression.Span);
        }
    }
}
