using Policyc.Runtime.Policy;

namespace Policyc.Compiler.Binding;

/// <summary>
/// The value semantics of every operator, in one place: constant folding and the interpreter call
/// these, and Emit generates C# that behaves the same (checked arithmetic, the same shift rules).
/// Failures throw <see cref="ArithmeticException"/>; callers turn them into diagnostics or faults.
/// </summary>
public static class Arithmetic
{
    public static long Unary(UnaryOperator op, BoundType type, long value) => op switch
    {
        UnaryOperator.Not => value == 0 ? 1 : 0,
        UnaryOperator.Negate => checked(-value),
        UnaryOperator.Complement => type.Policy == PolicyType.Gfp ? (long)~(uint)value : ~value,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>Binary operators other than the short-circuiting ones, on already evaluated operands.</summary>
    public static long Binary(BinaryOperator op, long left, long right) => op switch
    {
        BinaryOperator.Add => checked(left + right),
        BinaryOperator.Subtract => checked(left - right),
        BinaryOperator.Multiply => checked(left * right),
        BinaryOperator.Divide => right == 0 ? throw new DivideByZeroException() : checked(left / right),
        BinaryOperator.Modulo => right == 0 ? throw new DivideByZeroException() : left % right,
        BinaryOperator.ShiftLeft => ShiftLeft(left, right),
        BinaryOperator.ShiftRight => ShiftRight(left, right),
        BinaryOperator.Less => left < right ? 1 : 0,
        BinaryOperator.LessOrEqual => left <= right ? 1 : 0,
        BinaryOperator.Greater => left > right ? 1 : 0,
        BinaryOperator.GreaterOrEqual => left >= right ? 1 : 0,
        BinaryOperator.Equal => left == right ? 1 : 0,
        BinaryOperator.NotEqual => left != right ? 1 : 0,
        BinaryOperator.BitAnd => left & right,
        BinaryOperator.BitXor => left ^ right,
        BinaryOperator.BitOr => left | right,
        BinaryOperator.LogicalAnd => left != 0 && right != 0 ? 1 : 0,
        BinaryOperator.LogicalOr => left != 0 || right != 0 ? 1 : 0,
        BinaryOperator.Min => Math.Min(left, right),
        BinaryOperator.Max => Math.Max(left, right),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>
    /// Throws if <paramref name="op"/> fails for every left operand once its right operand is
    /// <paramref name="right"/>: a division or remainder by zero, a shift count outside 0..63.
    /// </summary>
    public static void CheckConstantRight(BinaryOperator op, long right)
    {
        switch (op)
        {
            case BinaryOperator.Divide or BinaryOperator.Modulo when right == 0:
                throw new DivideByZeroException();
            case BinaryOperator.ShiftLeft or BinaryOperator.ShiftRight:
                CheckShiftCount(right);
                break;
        }
    }

    /// <summary>A shift by 0..63 that loses no bits; anything else fails (C# would silently wrap).</summary>
    public static long ShiftLeft(long value, long count)
    {
        CheckShiftCount(count);
        long result = value << (int)count;
        if (result >> (int)count != value)
            throw new ShiftException($"{value} << {count} overflows");
        return result;
    }

    static void CheckShiftCount(long count)
    {
        if (count is < 0 or > 63)
            throw new ShiftException($"shift count {count} is outside 0..63");
    }

    public static long ShiftRight(long value, long count)
    {
        CheckShiftCount(count);
        return value >> (int)count;
    }

    public static long Convert(ConversionKind kind, long value) => kind switch
    {
        ConversionKind.Retype => value,
        ConversionKind.BytesToPages => value / PolicyTypes.PageSize,
        ConversionKind.PagesToBytes => checked(value * PolicyTypes.PageSize),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Words an arithmetic failure for a diagnostic or a fault.</summary>
    public static string Describe(ArithmeticException e) =>
        e is DivideByZeroException ? DivisionByZero : Overflow;

    /// <summary>The detailed wording for compile-time messages: a shift says what was wrong with it.</summary>
    public static string Explain(ArithmeticException e) => e is ShiftException ? e.Message : Describe(e);

    public const string DivisionByZero = "division by zero";
    public const string Overflow = "arithmetic overflow";
}

/// <summary>A shift that would lose bits or whose count is out of range.</summary>
public sealed class ShiftException(string message) : OverflowException(message);
