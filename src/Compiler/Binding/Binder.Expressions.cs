using System.Globalization;
using Policyc.Compiler.Syntax;
using Policyc.Compiler.Text;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Text;

namespace Policyc.Compiler.Binding;

/// <summary>Expressions: names, calls, operators, conversions; their types and units.</summary>
sealed partial class Binder
{
    BoundExpression BindExpression(ExpressionSyntax syntax)
    {
        var bound = BindExpressionCore(syntax);
        return Fold(bound);
    }

    BoundExpression BindExpressionCore(ExpressionSyntax syntax) => syntax switch
    {
        NumberSyntax n => BindNumber(n),
        BoolSyntax b => new BoundLiteral(BoundType.Bool, b.Value ? 1 : 0, b.Span),
        ParenthesizedSyntax p => BindExpression(p.Inner) is var inner ? inner with { Span = p.Span } : null!,
        NameExpressionSyntax n => BindName(n),
        CallSyntax c => BindCall(c),
        UnitSyntax u => BindUnit(u),
        UnarySyntax u => BindUnary(u),
        BinarySyntax b => BindBinary(b),
        ConditionalSyntax c => BindConditional(c),
        BaseSyntax b => BindBase(b),
        MissingExpressionSyntax m => new BoundError(m.Span),
        _ => new BoundError(syntax.Span),
    };

    BoundExpression BindNumber(NumberSyntax syntax)
    {
        if (NumberLiteral.TryParse(syntax.Text, out var type, out long value, out string error))
            return new BoundLiteral(type, value, syntax.Span);
        diagnostics.ReportInvalidNumber(At(syntax.Span), syntax.Text, error);
        return new BoundError(syntax.Span);
    }

    BoundExpression BindBase(BaseSyntax syntax)
    {
        if (hook is null)
        {
            // A constant, or a test's value: neither replaces a rule, so there is none to name.
            diagnostics.ReportBaseOutsideRule(At(syntax.Span));
            return new BoundError(syntax.Span);
        }
        if (!isDerived)
        {
            diagnostics.ReportBaseInRoot(At(syntax.Span), policy.Name);
            return new BoundError(syntax.Span);
        }
        if (policy.Base is null)
            return new BoundError(syntax.Span);
        if (rule is null)
        {
            diagnostics.ReportBaseWithoutRule(At(syntax.Span), key.ToString());
            return new BoundError(syntax.Span);
        }
        readsContext = true;
        return new BoundBaseRule(rule, syntax.Span);
    }

    /// <summary>The context group a qualified name starts with (<c>zone</c> in <c>zone.free</c>); reported when unknown.</summary>
    GroupSymbol? BindGroup(NameSyntax groupName)
    {
        var group = ContextSymbols.FindGroup(groupName.Text);
        if (group is null)
            diagnostics.ReportUnknownName(At(groupName.Span), groupName.Text,
                Spelling.Suggest(groupName.Text, ContextSymbols.Groups.Select(g => g.Name)));
        return group;
    }

    BoundExpression BindName(NameExpressionSyntax syntax)
    {
        if (syntax.Group is { } groupName)
        {
            var group = BindGroup(groupName);
            if (group is null)
                return new BoundError(syntax.Span);
            var field = ContextSymbols.FindField(group, syntax.Name.Text);
            if (field is null)
            {
                diagnostics.ReportUnknownField(At(syntax.Name.Span), group.Name, syntax.Name.Text,
                    Spelling.Suggest(syntax.Name.Text, ContextSymbols.Fields.Where(f => f.Group == group).Select(f => f.Name)));
                return new BoundError(syntax.Span);
            }
            return ReadField(field, syntax.Span);
        }

        string name = syntax.Name.Text;
        foreach (var p in policy.Lineage)
        {
            if (p.Constants.TryGetValue(name, out var constant))
            {
                usedConstants.Add(name);
                return constant.Type.IsError ? new BoundError(syntax.Span) : constant with { Span = syntax.Span };
            }
        }
        if (ContextSymbols.FindUnqualifiedField(name) is { } unqualified)
            return ReadField(unqualified, syntax.Span);
        if (GfpSymbols.TryGet(name, out var gfp))
            return new BoundLiteral(BoundType.Gfp, (long)(uint)gfp, syntax.Span, name);
        if (TryShrinkAction(name, out var action))
            return new BoundLiteral(BoundType.ShrinkAction, (long)action, syntax.Span, name);
        if (ContextSymbols.FindGroup(name) is not null)
        {
            diagnostics.ReportNotAValue(At(syntax.Span), name, "a context group (write group.field)");
            return new BoundError(syntax.Span);
        }
        var candidates = policy.Lineage.SelectMany(p => p.Constants.Keys)
            .Concat(ContextSymbols.Fields.Where(f => f.Group.Unqualified).Select(f => f.Name))
            .Concat(GfpSymbols.AllNames)
            .Concat(Enum.GetNames<ShrinkAction>().Select(n => n.ToLowerInvariant()));
        diagnostics.ReportUnknownName(At(syntax.Span), name, Spelling.Suggest(name, candidates));
        return new BoundError(syntax.Span);
    }

    static bool TryShrinkAction(string name, out ShrinkAction action)
    {
        foreach (var value in Enum.GetValues<ShrinkAction>())
        {
            if (value.ToString().ToLowerInvariant() == name)
            {
                action = value;
                return true;
            }
        }
        action = default;
        return false;
    }

    BoundExpression ReadField(FieldSymbol field, TextSpan span) =>
        CheckGroup(field.Group, span, field.Name) ? new BoundField(field, span) : new BoundError(span);

    /// <summary>
    /// Whether the hook being bound may read the group; constants may read none. When it may not,
    /// a readable group with a field of the same name is suggested (<c>order</c> → <c>kswapd.order</c>).
    /// </summary>
    bool CheckGroup(GroupSymbol group, TextSpan span, string? fieldName = null)
    {
        readsContext = true;
        if (hook is null)
        {
            diagnostics.ReportContextInConstant(At(span), text.ToString(span));
            return false;
        }
        if ((hook.Reads & group.Flag) != 0)
            return true;
        var alternative = fieldName is null ? null : ContextSymbols.Fields
            .FirstOrDefault(f => f.Name == fieldName && (hook.Reads & f.Group.Flag) != 0);
        diagnostics.ReportGroupNotAvailable(At(span), group.Name, hook.QualifiedName, ContextSymbols.Readable(hook.Reads),
            alternative is null ? null : $"{alternative.Group.Name}.{alternative.Name}");
        return false;
    }

    BoundExpression BindUnit(UnitSyntax syntax)
    {
        var operand = BindExpression(syntax.Operand);
        var target = syntax.Unit.Text == "pages" ? BoundType.Pages : BoundType.Bytes;
        if (operand.Type.IsError)
            return new BoundError(syntax.Span);
        if (operand.Type != BoundType.Count)
        {
            diagnostics.ReportWrongType(At(syntax.Operand.Span), $"the operand of '{syntax.Unit.Text}'", "a plain count", operand.Type.ToString());
            return new BoundError(syntax.Span);
        }
        return new BoundConversion(ConversionKind.Retype, operand, target, syntax.Span);
    }

    BoundExpression BindCall(CallSyntax syntax)
    {
        var args = syntax.Arguments.Select(BindExpression).ToArray();
        if (syntax.Group is { } groupName)
        {
            var group = BindGroup(groupName);
            if (group is null)
                return new BoundError(syntax.Span);
            var function = ContextSymbols.FindFunction(group, syntax.Function.Text);
            if (function is null)
            {
                diagnostics.ReportUnknownFunction(At(syntax.Function.Span), syntax.FullName,
                    Spelling.Suggest(syntax.Function.Text, ContextSymbols.Functions.Where(f => f.Group == group).Select(f => f.Name)));
                return new BoundError(syntax.Span);
            }
            if (!CheckArgumentCount(syntax, function.Parameters.Count.ToString(CultureInfo.InvariantCulture) + Plural(function.Parameters.Count, " argument"), function.Parameters.Count, function.Parameters.Count))
                return new BoundError(syntax.Span);
            var converted = new BoundExpression[args.Length];
            for (int i = 0; i < args.Length; i++)
                converted[i] = Expect(args[i], function.Parameters[i], $"argument {i + 1} of '{syntax.FullName}'", syntax.Arguments[i].Span);
            if (!CheckGroup(group, syntax.Span) || converted.Any(a => a.Type.IsError))
                return new BoundError(syntax.Span);
            return new BoundFunctionCall(function, converted, syntax.Span);
        }

        switch (syntax.Function.Text)
        {
            case "has":
                return BindHas(syntax, args);
            case "min" or "max":
                {
                    if (!CheckArgumentCount(syntax, "2 arguments", 2, 2))
                        return new BoundError(syntax.Span);
                    var op = syntax.Function.Text == "min" ? BinaryOperator.Min : BinaryOperator.Max;
                    return BindArithmeticPair(op, syntax.Function.Text, args[0], args[1], syntax.Span, syntax.Function.Span);
                }
            case "pages" or "bytes":
                {
                    if (!CheckArgumentCount(syntax, "1 argument", 1, 1))
                        return new BoundError(syntax.Span);
                    return BindConversion(syntax, args[0]);
                }
            default:
                diagnostics.ReportUnknownFunction(At(syntax.Function.Span), syntax.FullName,
                    Spelling.Suggest(syntax.Function.Text, ["has", "min", "max", "pages", "bytes"]));
                return new BoundError(syntax.Span);
        }
    }

    static string Plural(int count, string noun) => count == 1 ? noun : noun + "s";

    bool CheckArgumentCount(CallSyntax syntax, string expected, int min, int max)
    {
        if (syntax.Arguments.Count >= min && syntax.Arguments.Count <= max)
            return true;
        diagnostics.ReportWrongArgumentCount(At(syntax.Span), syntax.FullName, expected, syntax.Arguments.Count);
        return false;
    }

    /// <summary><c>has(FLAGS)</c>: the request's mask has every flag; <c>has(mask, FLAGS)</c>: that mask has.</summary>
    BoundExpression BindHas(CallSyntax syntax, BoundExpression[] args)
    {
        if (!CheckArgumentCount(syntax, "1 or 2 arguments", 1, 2))
            return new BoundError(syntax.Span);
        BoundExpression mask;
        BoundExpression flags;
        if (args.Length == 1)
        {
            var gfpField = ContextSymbols.Fields.First(f => f.Group.Unqualified && f.Type == PolicyType.Gfp);
            mask = ReadField(gfpField, syntax.Function.Span);
            flags = Expect(args[0], PolicyType.Gfp, "the argument of 'has'", syntax.Arguments[0].Span);
        }
        else
        {
            mask = Expect(args[0], PolicyType.Gfp, "argument 1 of 'has'", syntax.Arguments[0].Span);
            flags = Expect(args[1], PolicyType.Gfp, "argument 2 of 'has'", syntax.Arguments[1].Span);
        }
        if (mask.Type.IsError || flags.Type.IsError)
            return new BoundError(syntax.Span);
        var masked = Fold(new BoundBinary(BinaryOperator.BitAnd, mask, flags, BoundType.Gfp, syntax.Span));
        return new BoundBinary(BinaryOperator.Equal, masked, flags, BoundType.Bool, syntax.Span);
    }

    BoundExpression BindConversion(CallSyntax syntax, BoundExpression operand)
    {
        bool toPages = syntax.Function.Text == "pages";
        var target = toPages ? BoundType.Pages : BoundType.Bytes;
        if (operand.Type.IsError)
            return new BoundError(syntax.Span);
        if (operand.Type == target)
            return operand with { Span = syntax.Span };
        if (operand.Type == BoundType.Count)
            return new BoundConversion(ConversionKind.Retype, operand, target, syntax.Span);
        if (operand.Type == (toPages ? BoundType.Bytes : BoundType.Pages))
            return new BoundConversion(toPages ? ConversionKind.BytesToPages : ConversionKind.PagesToBytes, operand, target, syntax.Span);
        diagnostics.ReportWrongType(At(syntax.Arguments[0].Span), $"the argument of '{syntax.Function.Text}'",
            toPages ? "bytes or a count" : "pages or a count", operand.Type.ToString());
        return new BoundError(syntax.Span);
    }

    BoundExpression BindUnary(UnarySyntax syntax)
    {
        var operand = BindExpression(syntax.Operand);
        if (operand.Type.IsError)
            return new BoundError(syntax.Span);
        (UnaryOperator op, bool ok) = syntax.Operator switch
        {
            "!" => (UnaryOperator.Not, operand.Type == BoundType.Bool),
            "-" => (UnaryOperator.Negate, operand.Type.IsNumeric),
            _ => (UnaryOperator.Complement, operand.Type == BoundType.Gfp || operand.Type == BoundType.Count),
        };
        if (!ok)
        {
            diagnostics.ReportUndefinedUnary(At(syntax.OperatorSpan), syntax.Operator, operand.Type.ToString());
            return new BoundError(syntax.Span);
        }
        return new BoundUnary(op, operand, operand.Type, syntax.Span);
    }

    BoundExpression BindConditional(ConditionalSyntax syntax)
    {
        var condition = Expect(BindExpression(syntax.Condition), PolicyType.Bool, "the condition of '?:'", syntax.Condition.Span);
        var whenTrue = BindExpression(syntax.WhenTrue);
        var whenFalse = BindExpression(syntax.WhenFalse);
        if (condition.Type.IsError || whenTrue.Type.IsError || whenFalse.Type.IsError)
            return new BoundError(syntax.Span);
        (whenTrue, whenFalse) = AdoptZero(whenTrue, whenFalse);
        if (whenTrue.Type != whenFalse.Type)
        {
            if (whenTrue.Type.IsNumeric && whenFalse.Type.IsNumeric)
                diagnostics.ReportUnitMismatch(At(syntax.Span), ":", whenTrue.Type.ToString(), whenFalse.Type.ToString(),
                    "both branches of '?:' need the same unit");
            else
                diagnostics.ReportWrongType(At(syntax.WhenFalse.Span), "the second branch of '?:'", whenTrue.Type.ToString(), whenFalse.Type.ToString());
            return new BoundError(syntax.Span);
        }
        return new BoundConditional(condition, whenTrue, whenFalse, syntax.Span);
    }

    BoundExpression BindBinary(BinarySyntax syntax)
    {
        var left = BindExpression(syntax.Left);
        var right = BindExpression(syntax.Right);
        if (left.Type.IsError || right.Type.IsError)
            return new BoundError(syntax.Span);
        switch (syntax.Operator)
        {
            case "&&" or "||":
                {
                    var op = syntax.Operator == "&&" ? BinaryOperator.LogicalAnd : BinaryOperator.LogicalOr;
                    if (left.Type != BoundType.Bool || right.Type != BoundType.Bool)
                        return UndefinedBinary(syntax, left, right);
                    return new BoundBinary(op, left, right, BoundType.Bool, syntax.Span);
                }
            case "==" or "!=":
                {
                    (left, right) = AdoptZero(left, right);
                    if (left.Type != right.Type)
                        return Mismatch(syntax, left, right, "compare values of the same unit");
                    var op = syntax.Operator == "==" ? BinaryOperator.Equal : BinaryOperator.NotEqual;
                    return new BoundBinary(op, left, right, BoundType.Bool, syntax.Span);
                }
            case "<" or "<=" or ">" or ">=":
                {
                    (left, right) = AdoptZero(left, right);
                    if (!left.Type.IsNumeric || !right.Type.IsNumeric)
                        return UndefinedBinary(syntax, left, right);
                    if (left.Type != right.Type)
                        return Mismatch(syntax, left, right, "compare values of the same unit");
                    var op = syntax.Operator switch
                    {
                        "<" => BinaryOperator.Less,
                        "<=" => BinaryOperator.LessOrEqual,
                        ">" => BinaryOperator.Greater,
                        _ => BinaryOperator.GreaterOrEqual,
                    };
                    return new BoundBinary(op, left, right, BoundType.Bool, syntax.Span);
                }
            case "&" or "|" or "^":
                {
                    var op = syntax.Operator switch { "&" => BinaryOperator.BitAnd, "|" => BinaryOperator.BitOr, _ => BinaryOperator.BitXor };
                    bool ok = left.Type == right.Type && (left.Type == BoundType.Gfp || left.Type == BoundType.Count);
                    if (!ok)
                    {
                        if (left.Type == BoundType.Bool && right.Type == BoundType.Bool)
                        {
                            string instead = syntax.Operator == "^" ? "!=" : syntax.Operator + syntax.Operator;
                            diagnostics.ReportUndefinedBinary(At(syntax.OperatorSpan), syntax.Operator, "bool", $"bool; use '{instead}'");
                            return new BoundError(syntax.Span);
                        }
                        return UndefinedBinary(syntax, left, right);
                    }
                    return new BoundBinary(op, left, right, left.Type, syntax.Span);
                }
            case "<<" or ">>":
                {
                    var op = syntax.Operator == "<<" ? BinaryOperator.ShiftLeft : BinaryOperator.ShiftRight;
                    if (!left.Type.IsNumeric || right.Type != BoundType.Count)
                        return UndefinedBinary(syntax, left, right);
                    return new BoundBinary(op, left, right, left.Type, syntax.Span);
                }
            default:
                {
                    var op = syntax.Operator switch
                    {
                        "+" => BinaryOperator.Add,
                        "-" => BinaryOperator.Subtract,
                        "*" => BinaryOperator.Multiply,
                        "/" => BinaryOperator.Divide,
                        _ => BinaryOperator.Modulo,
                    };
                    return BindArithmeticPair(op, syntax.Operator, left, right, syntax.Span, syntax.OperatorSpan);
                }
        }
    }

    /// <summary>
    /// Units in arithmetic: like units add and subtract; a count scales any unit; a unit divided by
    /// the same unit is a count. Anything else (pages + bytes, time * time) is a unit mismatch.
    /// </summary>
    BoundExpression BindArithmeticPair(BinaryOperator op, string opText, BoundExpression left, BoundExpression right, TextSpan span, TextSpan opSpan)
    {
        if (!left.Type.IsNumeric || !right.Type.IsNumeric)
        {
            diagnostics.ReportUndefinedBinary(At(opSpan), opText, left.Type.ToString(), right.Type.ToString());
            return new BoundError(span);
        }
        if (op is BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Min or BinaryOperator.Max or BinaryOperator.Modulo)
            (left, right) = AdoptZero(left, right);
        BoundType? result = op switch
        {
            BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Min or BinaryOperator.Max =>
                left.Type == right.Type ? left.Type : null,
            BinaryOperator.Multiply =>
                left.Type == BoundType.Count ? right.Type : right.Type == BoundType.Count ? left.Type : null,
            BinaryOperator.Divide =>
                left.Type == right.Type ? BoundType.Count : right.Type == BoundType.Count ? left.Type : null,
            _ => left.Type == right.Type || right.Type == BoundType.Count ? left.Type : null,
        };
        if (result is not { } type)
        {
            string hint = op switch
            {
                BinaryOperator.Multiply => "only a plain count can scale a value with a unit",
                BinaryOperator.Divide => "divide by a count, or by a value of the same unit",
                _ => ConversionHint(left.Type, right.Type),
            };
            diagnostics.ReportUnitMismatch(At(span), opText, left.Type.ToString(), right.Type.ToString(), hint);
            return new BoundError(span);
        }
        return new BoundBinary(op, left, right, type, span);
    }

    static string ConversionHint(BoundType a, BoundType b)
    {
        var pair = new[] { a, b };
        if (pair.Contains(BoundType.Pages) && pair.Contains(BoundType.Bytes))
            return "convert explicitly with pages(x) or bytes(x)";
        if (pair.Contains(BoundType.Count))
            return "give the count a unit (write '32 pages', '4k', '20ms' or '10%')";
        return "both sides need the same unit";
    }

    BoundExpression UndefinedBinary(BinarySyntax syntax, BoundExpression left, BoundExpression right)
    {
        diagnostics.ReportUndefinedBinary(At(syntax.OperatorSpan), syntax.Operator, left.Type.ToString(), right.Type.ToString());
        return new BoundError(syntax.Span);
    }

    BoundExpression Mismatch(BinarySyntax syntax, BoundExpression left, BoundExpression right, string hint)
    {
        if (left.Type.IsNumeric && right.Type.IsNumeric)
            diagnostics.ReportUnitMismatch(At(syntax.Span), syntax.Operator, left.Type.ToString(), right.Type.ToString(),
                left.Type == BoundType.Count || right.Type == BoundType.Count || (left.Type == BoundType.Pages && right.Type == BoundType.Bytes) || (left.Type == BoundType.Bytes && right.Type == BoundType.Pages)
                    ? ConversionHint(left.Type, right.Type) : hint);
        else
            diagnostics.ReportUndefinedBinary(At(syntax.OperatorSpan), syntax.Operator, left.Type.ToString(), right.Type.ToString());
        return new BoundError(syntax.Span);
    }

    /// <summary>A literal 0 has every unit: <c>swap.free == 0</c> needs no <c>0 pages</c>.</summary>
    static (BoundExpression, BoundExpression) AdoptZero(BoundExpression left, BoundExpression right)
    {
        static bool IsPlainZero(BoundExpression e) => e is BoundLiteral { Value: 0, Name: null } l && l.Type == BoundType.Count;
        if (IsPlainZero(left) && right.Type.IsNumeric)
            left = left with { Type = right.Type };
        else if (IsPlainZero(right) && left.Type.IsNumeric)
            right = right with { Type = left.Type };
        return (left, right);
    }

    BoundExpression Expect(BoundExpression expression, PolicyType expected, string what, TextSpan span)
    {
        if (expression.Type.IsError || expression.Type == expected)
            return expression;
        if (expression is BoundLiteral { Value: 0, Name: null } zero && zero.Type == BoundType.Count && new BoundType(expected).IsNumeric)
            return zero with { Type = expected };
        var actual = expression.Type;
        if (actual.IsNumeric && new BoundType(expected).IsNumeric)
            diagnostics.ReportUnitMismatchExpected(At(span), what, new BoundType(expected).ToString(), actual.ToString(),
                ConversionHint(actual, expected));
        else
            diagnostics.ReportWrongType(At(span), what, new BoundType(expected).ToString(), actual.ToString());
        return new BoundError(span);
    }
}
