using Antlr4.Runtime;
using Antlr4.Runtime.Tree;
using Policyc.Compiler.Diagnostics;
using Policyc.Compiler.Syntax.Generated;
using Policyc.Compiler.Text;
using P = Policyc.Compiler.Syntax.Generated.RpolParser;

namespace Policyc.Compiler.Syntax;

/// <summary>
/// Turns ANTLR's parse tree into the compiler's syntax tree. After error recovery a context may
/// lack children; such parts become <see cref="MissingExpressionSyntax"/> or are dropped, since the
/// parser has already reported the error.
/// </summary>
sealed class SyntaxTreeBuilder(SourceText text, DiagnosticBag diagnostics)
{
    public IReadOnlyList<PolicySyntax> Build(P.CompilationUnitContext unit) =>
        unit.policyDecl().Select(BuildPolicy).OfType<PolicySyntax>().ToArray();

    public IReadOnlyList<TestSyntax> BuildTests(P.CompilationUnitContext unit) =>
        unit.testDecl().Select(BuildTest).OfType<TestSyntax>().ToArray();

    TestSyntax? BuildTest(P.TestDeclContext context)
    {
        if (context.name is null || context.name.TokenIndex < 0)
            return null;
        var statements = new List<TestStatementSyntax>();
        foreach (var statement in context.testStatement())
        {
            TestStatementSyntax? built = statement switch
            {
                P.GivenStatementContext g => BuildGiven(g),
                P.ExpectStatementContext e => BuildExpect(e),
                _ => null,
            };
            if (built is not null)
                statements.Add(built);
        }
        return new TestSyntax(BuildString(context.name), statements, OpenBrace(context), SpanOf(context));
    }

    ExpectSyntax? BuildExpect(P.ExpectStatementContext context)
    {
        if (context.target is null || BuildRuleRef(context.target) is not { } target)
            return null;
        return context.expectation() switch
        {
            P.CompareExpectationContext c when c.op is not null =>
                new ExpectSyntax(target, c.op.Text, BuildExpression(c.expr()), null, SpanOf(context)),
            P.VerbExpectationContext v when v.verb is not null && v.verb.TokenIndex >= 0 =>
                new ExpectSyntax(target, null, null, Name(v.verb), SpanOf(context)),
            _ => null,
        };
    }

    GivenSyntax? BuildGiven(P.GivenStatementContext context)
    {
        var items = new List<GivenItemSyntax>();
        foreach (var item in context.givenItem())
        {
            var ids = item.IDENT();
            if (ids.Length == 0 || ids.Any(IsMissing))
                continue;
            var value = BuildExpression(item.expr());
            items.Add(ids.Length == 1
                ? new GivenItemSyntax(null, Name(ids[0]), value, SpanOf(item))
                : new GivenItemSyntax(Name(ids[0]), Name(ids[1]), value, SpanOf(item)));
        }
        return items.Count == 0 ? null : new GivenSyntax(items, SpanOf(context));
    }

    RuleRefSyntax? BuildRuleRef(P.RuleRefContext context)
    {
        var ids = context.IDENT();
        if (ids.Length == 0 || ids.Any(IsMissing))
            return null;
        var pattern = context.pattern is { } p && p.TokenIndex >= 0 ? BuildString(p) : null;
        return new RuleRefSyntax(Name(ids[0]), pattern, ids.Length > 1 ? Name(ids[1]) : null, SpanOf(context));
    }

    PolicySyntax? BuildPolicy(P.PolicyDeclContext context)
    {
        if (context.name is null || context.name.exception is not null && context.name.ChildCount == 0)
            return null;
        var name = BuildPolicyName(context.name);
        BaseRefSyntax? baseRef = null;
        if (context.@base is { } b)
        {
            if (b.STRING() is { } s)
            {
                var str = BuildString(s.Symbol);
                baseRef = new BaseRefSyntax(str.Value, IsPath: true, str.Span);
            }
            else if (b.policyName() is { } n && n.ChildCount > 0)
            {
                var baseName = BuildPolicyName(n);
                baseRef = new BaseRefSyntax(baseName.Text, IsPath: false, baseName.Span);
            }
        }
        var members = new List<MemberSyntax>();
        foreach (var member in context.member())
        {
            MemberSyntax? built = member.constDecl() is { } c ? BuildConst(c)
                : member.section() is { } s ? BuildSection(s)
                : null;
            if (built is not null)
                members.Add(built);
        }
        if (members.Count > Limits.MaxMembers)
            diagnostics.ReportTooManyMembers(new TextLocation(text, members[Limits.MaxMembers].Span), Limits.MaxMembers);
        return new PolicySyntax(name, baseRef, members, OpenBrace(context), SpanOf(context));
    }

    /// <summary>Glues <c>linux</c> <c>-</c> <c>3.13</c> back into one name; whitespace inside is an error.</summary>
    NameSyntax BuildPolicyName(P.PolicyNameContext context)
    {
        var span = SpanOf(context);
        string written = text.ToString(span);
        string glued = string.Concat(Enumerable.Range(0, context.ChildCount).Select(i => context.GetChild(i).GetText()));
        if (written != glued)
            diagnostics.ReportPolicyNameHasSpace(new TextLocation(text, span));
        // A number atom may end in a unit, and the lexer's units include '%' (policy 50% …).
        else if (glued.FirstOrDefault(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')) is var bad and not '\0')
            diagnostics.ReportPolicyNameCharacter(new TextLocation(text, span), bad);
        if (glued.Length > Limits.MaxNameLength)
            diagnostics.ReportNameTooLong(new TextLocation(text, span), glued.Length, Limits.MaxNameLength);
        return new NameSyntax(glued, span);
    }

    ConstSyntax? BuildConst(P.ConstDeclContext context)
    {
        if (context.IDENT() is not { } id || IsMissing(id))
            return null;
        return new ConstSyntax(Name(id), BuildExpression(context.expr()), SpanOf(context));
    }

    SectionSyntax? BuildSection(P.SectionContext context)
    {
        if (context.sectionKind is null)
            return null;
        var kind = Name(context.sectionKind);
        var pattern = context.pattern is { } p ? BuildString(p) : null;
        var rules = new List<RuleSyntax>();
        foreach (var rule in context.ruleDecl())
        {
            if (rule.IDENT() is not { } id || IsMissing(id))
                continue;
            rules.Add(new RuleSyntax(Name(id), BuildExpression(rule.expr()), SpanOf(rule)));
        }
        return new SectionSyntax(kind, pattern, rules, OpenBrace(context), SpanOf(context));
    }

    ExpressionSyntax BuildExpression(P.ExprContext? context)
    {
        if (context is null || context.ChildCount == 0)
            return Missing(context);
        var span = SpanOf(context);
        switch (context)
        {
            case P.PrimaryExprContext c:
                return BuildPrimary(c.primary());
            case P.UnitExprContext c:
                return c.unit is null ? Missing(context)
                    : new UnitSyntax(BuildExpression(c.expr()), Name(c.unit), span);
            case P.UnaryExprContext c:
                return new UnarySyntax(c.op.Text, SpanOf(c.op), BuildExpression(c.expr()), span);
            case P.BinaryExprContext c:
                {
                    var operands = c.expr();
                    if (operands.Length < 2 || c.op is null)
                        return Missing(context);
                    return new BinarySyntax(BuildExpression(operands[0]), c.op.Text, SpanOf(c.op), BuildExpression(operands[1]), span);
                }
            case P.ConditionalExprContext c:
                {
                    var parts = c.expr();
                    if (parts.Length < 3)
                        return Missing(context);
                    return new ConditionalSyntax(BuildExpression(parts[0]), BuildExpression(parts[1]), BuildExpression(parts[2]), span);
                }
            default:
                return Missing(context);
        }
    }

    ExpressionSyntax BuildPrimary(P.PrimaryContext? context)
    {
        if (context is null || context.ChildCount == 0)
            return Missing(context);
        var span = SpanOf(context);
        switch (context)
        {
            case P.NumberLiteralContext c:
                return new NumberSyntax(c.NUMBER().GetText(), span);
            case P.BoolLiteralContext c:
                return new BoolSyntax(c.GetText() == "true", span);
            case P.BaseRuleContext:
                return new BaseSyntax(span);
            case P.ParenExprContext c:
                return new ParenthesizedSyntax(BuildExpression(c.expr()), span);
            case P.NameExprContext c:
                {
                    var ids = c.IDENT();
                    if (ids.Length == 0 || ids.Any(IsMissing))
                        return Missing(context);
                    return ids.Length == 1
                        ? new NameExpressionSyntax(null, Name(ids[0]), span)
                        : new NameExpressionSyntax(Name(ids[0]), Name(ids[1]), span);
                }
            case P.CallExprContext c:
                {
                    var callee = c.callee;
                    if (callee is null || callee.ChildCount == 0)
                        return Missing(context);
                    var ids = callee.IDENT();
                    NameSyntax? group = null;
                    NameSyntax function;
                    if (ids.Length == 0)
                        function = new NameSyntax(callee.GetText(), SpanOf(callee));
                    else if (ids.Length == 1)
                        function = Name(ids[0]);
                    else
                    {
                        group = Name(ids[0]);
                        function = Name(ids[1]);
                    }
                    var args = c.expr().Select(BuildExpression).ToArray();
                    return new CallSyntax(group, function, args, span);
                }
            default:
                return Missing(context);
        }
    }

    StringSyntax BuildString(IToken token)
    {
        string raw = token.Text;
        var span = SpanOf(token);
        var sb = new System.Text.StringBuilder();
        for (int i = 1; i < raw.Length - 1; i++)
        {
            char c = raw[i];
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            char next = raw[++i];
            switch (next)
            {
                case '\\' or '"':
                    sb.Append(next);
                    break;
                default:
                    diagnostics.ReportInvalidString(new TextLocation(text, new TextSpan(span.Start + i - 1, 2)),
                        $"unknown escape '\\{DiagnosticBag.Printable(next.ToString())}' (only \\\\ and \\\" are allowed)");
                    break;
            }
        }
        return new StringSyntax(sb.ToString(), span);
    }

    TextSpan OpenBrace(ParserRuleContext context)
    {
        for (int i = 0; i < context.ChildCount; i++)
            if (context.GetChild(i) is ITerminalNode { Symbol: { Text: "{" } brace } && brace.TokenIndex >= 0)
                return SpanOf(brace);
        return new TextSpan(SpanOf(context).Start, 0);
    }

    NameSyntax Name(ITerminalNode node) => Name(node.Symbol);

    NameSyntax Name(IToken token) => new(token.Text, SpanOf(token));

    static bool IsMissing(ITerminalNode node) => node is IErrorNode || node.Symbol.TokenIndex < 0;

    ExpressionSyntax Missing(ParserRuleContext? context) =>
        new MissingExpressionSyntax(context is null ? default : SpanOf(context));

    TextSpan SpanOf(IToken token) => token.Type == TokenConstants.EOF || token.StartIndex < 0
        ? new TextSpan(Math.Min(Math.Max(token.StartIndex, 0), text.Length), 0)
        : TextSpan.FromBounds(token.StartIndex, token.StopIndex + 1);

    TextSpan SpanOf(ParserRuleContext context)
    {
        var start = context.Start;
        var stop = context.Stop ?? start;
        if (start is null)
            return default;
        // A context that matched nothing has its stop before its start.
        if (stop.TokenIndex < start.TokenIndex || stop.Type == TokenConstants.EOF)
            return new TextSpan(Math.Min(start.StartIndex, text.Length), 0);
        return TextSpan.FromBounds(start.StartIndex, stop.StopIndex + 1);
    }
}
