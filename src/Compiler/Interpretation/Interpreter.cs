using System.Reflection;
using Policyc.Compiler.Binding;
using Policyc.Runtime.Policy;

namespace Policyc.Compiler.Interpretation;

/// <summary>
/// Evaluates bound trees directly: the reference semantics for differential tests and the baseline
/// for benchmarks. Shares nothing with Emit but the bound tree and <see cref="Arithmetic"/>. It walks
/// the tree on every call: deliberately simple rather than fast.
/// </summary>
public static class Interpreter
{
    /// <summary>
    /// A delegate of the hook's type that interprets the rule on each call. <paramref name="root"/>
    /// is the directory fault origins are named relative to (the most derived policy's).
    /// </summary>
    public static Delegate CreateDelegate(BoundRule rule, string root) => rule.Type.Policy switch
    {
        PolicyType.Bool => new PolicyHook<bool>((in HookContext c) => Run(rule, root, in c) != 0),
        PolicyType.Gfp => new PolicyHook<Gfp>((in HookContext c) => (Gfp)(uint)Run(rule, root, in c)),
        PolicyType.ShrinkAction => new PolicyHook<ShrinkAction>((in HookContext c) => (ShrinkAction)Run(rule, root, in c)),
        _ => new PolicyHook<long>((in HookContext c) => Run(rule, root, in c)),
    };

    /// <summary>
    /// Evaluates a rule; an arithmetic failure becomes a <see cref="PolicyFault"/> at the rule.
    /// <paramref name="observer"/>, when given, hears which rules ran and which way each branch went
    /// (policyc test's coverage).
    /// </summary>
    public static long Run(BoundRule rule, string root, in HookContext context, IEvaluationObserver? observer = null)
    {
        observer?.RuleEntered(rule);
        try
        {
            return Evaluate(rule.Body, in context, root, observer);
        }
        catch (ArithmeticException e)
        {
            throw new PolicyFault(rule.OriginRelativeTo(root), Arithmetic.Describe(e));
        }
        finally
        {
            observer?.RuleExited(rule);
        }
    }

    static long Evaluate(BoundExpression e, in HookContext context, string root, IEvaluationObserver? observer)
    {
        switch (e)
        {
            case BoundLiteral l:
                return l.Value;
            case BoundField f:
                return FieldReaders.Read(f.Field, in context);
            case BoundFunctionCall call:
                {
                    var args = new object[call.Arguments.Count];
                    for (int i = 0; i < args.Length; i++)
                        args[i] = Evaluate(call.Arguments[i], in context, root, observer);
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
                return Arithmetic.Unary(u.Operator, u.Operand.Type, Evaluate(u.Operand, in context, root, observer));
            case BoundBinary { Operator: BinaryOperator.LogicalAnd or BinaryOperator.LogicalOr } b:
                {
                    bool and = b.Operator == BinaryOperator.LogicalAnd;
                    bool result = and
                        ? Evaluate(b.Left, in context, root, observer) != 0 && Evaluate(b.Right, in context, root, observer) != 0
                        : Evaluate(b.Left, in context, root, observer) != 0 || Evaluate(b.Right, in context, root, observer) != 0;
                    observer?.Branch(b, result);
                    return result ? 1 : 0;
                }
            case BoundBinary b:
                {
                    long left = Evaluate(b.Left, in context, root, observer);
                    long right = Evaluate(b.Right, in context, root, observer);
                    return Arithmetic.Binary(b.Operator, left, right);
                }
            case BoundConditional c:
                {
                    bool condition = Evaluate(c.Condition, in context, root, observer) != 0;
                    observer?.Branch(c, condition);
                    return condition
                        ? Evaluate(c.WhenTrue, in context, root, observer)
                        : Evaluate(c.WhenFalse, in context, root, observer);
                }
            case BoundConversion conv:
                return Arithmetic.Convert(conv.Kind, Evaluate(conv.Operand, in context, root, observer));
            case BoundBaseRule r:
                // The base rule faults at its own origin, as the compiled call does.
                return Run(r.Rule, root, in context, observer);
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
