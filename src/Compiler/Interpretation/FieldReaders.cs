using System.Collections.Concurrent;
using System.Linq.Expressions;
using Policyc.Compiler.Binding;
using Policyc.Runtime.Policy;

namespace Policyc.Compiler.Interpretation;

/// <summary>
/// Reads a context field as the interpreter's <see cref="long"/>, without boxing: one small accessor
/// per field, made on first use (reflection's GetValue would box the group and the value per read).
/// </summary>
static class FieldReaders
{
    public delegate long Reader(in HookContext context);

    static readonly ConcurrentDictionary<FieldSymbol, Reader> Readers = new();

    public static long Read(FieldSymbol field, in HookContext context) => Readers.GetOrAdd(field, Create)(in context);

    static Reader Create(FieldSymbol field)
    {
        var context = Expression.Parameter(typeof(HookContext).MakeByRefType(), "c");
        Expression value = Expression.Field(Expression.Field(context, field.Group.Field), field.Field);
        value = value.Type == typeof(bool)
            ? Expression.Condition(value, Expression.Constant(1L), Expression.Constant(0L))
            : value.Type == typeof(Gfp)
                ? Expression.Convert(Expression.Convert(value, typeof(uint)), typeof(long))
                : Expression.Convert(value, typeof(long));
        return Expression.Lambda<Reader>(value, context).Compile();
    }
}
