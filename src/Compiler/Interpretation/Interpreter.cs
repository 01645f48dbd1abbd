using System.Reflection;
using Policyc.Compiler.Binding;
using Policyc.Runtime.Policy;

namespace Policyc.Compiler.Interpretation;

/// <summary>
/// Evaluates bound trees directly: the reference semantics for differential tests and the baseline
/// for benchmarks. Shares nothing with Emit but the bound tree and <see cref="Arithmetic"/>.
/// Context fields are read by reflection, so it is deliberately simple rather than fast.
/// </summary>
public static class Interpreter
{
    /// <summary>
    /// A delegate of the hook's type that interprets the rule on each call. <paramref name="root"/>
    /// is the directory fault origins are named relative to (the most derived policy's).
    /// </summary>
    public static Delegate CreateDelegate(BoundRule rule, string root) => rule.Type.Policy switch
    {
        PolicyType.Bool => new PolicyHook<bool>((in HookContext c) => Run(rule, root, c) != 0),
        PolicyType.Gfp => new PolicyHook<Gfp>((in HookContext c) => (Gfp)(uint)Run(rule, root, c)),
        PolicyType.ShrinkAction => new PolicyHook<ShrinkAction>((in HookContext c) => (ShrinkAction)Run(rule, root, c)),
        _ => new PolicyHook<long>((in HookContext c) => Run(rule, root, c)),
    };

    /// <summary>Evaluates a rule; an arithmetic failure becomes a <see cref="PolicyFault"/> at the rule.</summary>
    public static long Run(BoundRule rule, string root, HookContext context)
    {
        object boxed = context;
        try
        {
            return Evaluate(rule.Body, boxed, root);
        }
        catch (ArithmeticException e)
        {
            throw new PolicyFault(rule.OriginRelativeTo(root), Arithmetic.Describe(e));
        }
    }

    static long Evaluate(BoundExpression e, object context, string root)
    {
        switch (e)
        {
            case BoundLiteral l:
                return l.Value;
            case BoundField f:
                return ToLong(f.Field.Field.GetValue(f.Field.Group.Field.GetValue(context)));
            case BoundFunctionCall call:
                {
                    var args = call.Arguments.Select(a => (object)Evaluate(a, context, root)).ToArray();
                    object group = call.Function.Group.Field.GetValue(context)!;
                    try
                    {
                        return ToLong(call.Function.Method.Invoke(group, args));
                    }
                    catch (TargetInvocationException ex) when (ex.InnerException is not null)
                    {
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
                        throw;
                    }
                }
            case BoundUnary u:
                return Arithmetic.Unary(u.Operator, u.Operand.Type, Evaluate(u.Operand, context, root));
            case BoundBinary { Operator: BinaryOperator.LogicalAnd } b:
                return Evaluate(b.Left, context, root) != 0 && Evaluate(b.Right, context, root) != 0 ? 1 : 0;
            case BoundBinary { Operator: BinaryOperator.LogicalOr } b:
                return Evaluate(b.Left, context, root) != 0 || Evaluate(b.Right, context, root) != 0 ? 1 : 0;
            case BoundBinary b:
                {
                    long left = Evaluate(b.Left, context, root);
                    long right = Evaluate(b.Right, context, root);
                    return Arithmetic.Binary(b.Operator, left, right);
                }
            case BoundConditional c:
                return Evaluate(c.Condition, context, root) != 0
                    ? Evaluate(c.WhenTrue, context, root)
                    : Evaluate(c.WhenFalse, context, root);
            case BoundConversion conv:
                return Arithmetic.Convert(conv.Kind, Evaluate(conv.Operand, context, root));
            case BoundBaseRule r:
                // The base rule faults at its own origin, as the compiled call does.
                return Run(r.Rule, root, (HookContext)context);
            default:
                throw new InvalidOperationException($"cannot interpret {e.GetType().Name}: the binder reported an error");
        }
    }

    static long ToLong(object? value) => value switch
    {
        bool b => b ? 1 : 0,
        long l => l,
        int i => i,
        Gfp g => (uint)g,
        ShrinkAction a => (long)a,
        _ => throw new InvalidOperationException($"unexpected context value {value?.GetType().Name ?? "null"}"),
    };
}
