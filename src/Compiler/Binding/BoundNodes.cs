using Policyc.Compiler.Text;

namespace Policyc.Compiler.Binding;

/// <summary>
/// The bound tree: names resolved, types and units checked, constants folded. Emit and the
/// interpreter both work from it and from nothing else. Every value is carried as a
/// <see cref="long"/> here (bool as 0/1, a GFP mask as its bits, a shrinker action as its ordinal).
/// </summary>
public abstract record BoundExpression(BoundType Type, TextSpan Span);

/// <summary>A folded value. <see cref="Name"/> keeps what the author wrote (<c>GFP_NOFS</c>, <c>run</c>) for readable output.</summary>
public sealed record BoundLiteral(BoundType Type, long Value, TextSpan Span, string? Name = null) : BoundExpression(Type, Span);

public sealed record BoundField(FieldSymbol Field, TextSpan Span) : BoundExpression(Field.Type, Span);

public sealed record BoundFunctionCall(FunctionSymbol Function, IReadOnlyList<BoundExpression> Arguments, TextSpan Span)
    : BoundExpression(Function.Returns, Span);

public enum UnaryOperator { Not, Negate, Complement }

public sealed record BoundUnary(UnaryOperator Operator, BoundExpression Operand, BoundType Type, TextSpan Span) : BoundExpression(Type, Span);

public enum BinaryOperator
{
    Add, Subtract, Multiply, Divide, Modulo,
    ShiftLeft, ShiftRight,
    Less, LessOrEqual, Greater, GreaterOrEqual, Equal, NotEqual,
    BitAnd, BitXor, BitOr,
    LogicalAnd, LogicalOr,
    Min, Max,
}

public sealed record BoundBinary(BinaryOperator Operator, BoundExpression Left, BoundExpression Right, BoundType Type, TextSpan Span)
    : BoundExpression(Type, Span);

public sealed record BoundConditional(BoundExpression Condition, BoundExpression WhenTrue, BoundExpression WhenFalse, TextSpan Span)
    : BoundExpression(WhenTrue.Type, Span);

public enum ConversionKind
{
    /// <summary>A plain count given a unit: <c>(1 &lt;&lt; order) pages</c>. No change of value.</summary>
    Retype,
    /// <summary><c>pages(x)</c> of bytes: divides by the page size, rounding down.</summary>
    BytesToPages,
    /// <summary><c>bytes(x)</c> of pages: multiplies by the page size.</summary>
    PagesToBytes,
}

public sealed record BoundConversion(ConversionKind Kind, BoundExpression Operand, BoundType Type, TextSpan Span) : BoundExpression(Type, Span);

/// <summary><c>base</c>: calls the rule this one overrides.</summary>
public sealed record BoundBaseRule(BoundRule Rule, TextSpan Span) : BoundExpression(Rule.Type, Span);

/// <summary>Stands for an expression that had an error; never reaches Emit.</summary>
public sealed record BoundError(TextSpan Span) : BoundExpression(BoundType.Error, Span);
