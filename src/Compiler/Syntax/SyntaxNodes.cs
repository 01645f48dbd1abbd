using Policyc.Compiler.Text;

namespace Policyc.Compiler.Syntax;

/// <summary>
/// The compiler's own syntax tree: immutable, with a span on every node, built from ANTLR's parse
/// tree by <see cref="SyntaxTreeBuilder"/>. Comments are kept beside the tree (in
/// <see cref="SyntaxTree.Comments"/>) for the formatter.
/// </summary>
public abstract record SyntaxNode(TextSpan Span);

/// <summary>An identifier or keyword as written, with its span.</summary>
public sealed record NameSyntax(string Text, TextSpan Span) : SyntaxNode(Span);

/// <summary><c>policy NAME extends BASE { members }</c>; <see cref="OpenBrace"/> is the <c>{</c>.</summary>
public sealed record PolicySyntax(
    NameSyntax Name,
    BaseRefSyntax? Base,
    IReadOnlyList<MemberSyntax> Members,
    TextSpan OpenBrace,
    TextSpan Span) : SyntaxNode(Span);

/// <summary>What follows <c>extends</c>: a policy name, or a relative path in quotes.</summary>
public sealed record BaseRefSyntax(string Text, bool IsPath, TextSpan Span) : SyntaxNode(Span);

public abstract record MemberSyntax(TextSpan Span) : SyntaxNode(Span);

/// <summary><c>const NAME = expr;</c></summary>
public sealed record ConstSyntax(NameSyntax Name, ExpressionSyntax Value, TextSpan Span) : MemberSyntax(Span);

/// <summary><c>kind "pattern"? { rules }</c>; only shrinker sections carry a pattern.</summary>
public sealed record SectionSyntax(
    NameSyntax Kind,
    StringSyntax? Pattern,
    IReadOnlyList<RuleSyntax> Rules,
    TextSpan OpenBrace,
    TextSpan Span) : MemberSyntax(Span);

/// <summary>A string literal: <see cref="Value"/> has escapes resolved.</summary>
public sealed record StringSyntax(string Value, TextSpan Span) : SyntaxNode(Span);

/// <summary><c>name = expr;</c></summary>
public sealed record RuleSyntax(NameSyntax Name, ExpressionSyntax Value, TextSpan Span) : SyntaxNode(Span);

public abstract record ExpressionSyntax(TextSpan Span) : SyntaxNode(Span);

/// <summary>A number as written, unit suffix included (<c>4k</c>, <c>20ms</c>, <c>0x80</c>).</summary>
public sealed record NumberSyntax(string Text, TextSpan Span) : ExpressionSyntax(Span);

public sealed record BoolSyntax(bool Value, TextSpan Span) : ExpressionSyntax(Span);

/// <summary><c>base</c>: the rule this one overrides, evaluated on the same context.</summary>
public sealed record BaseSyntax(TextSpan Span) : ExpressionSyntax(Span);

public sealed record ParenthesizedSyntax(ExpressionSyntax Inner, TextSpan Span) : ExpressionSyntax(Span);

/// <summary><c>name</c> or <c>group.name</c>.</summary>
public sealed record NameExpressionSyntax(NameSyntax? Group, NameSyntax Name, TextSpan Span) : ExpressionSyntax(Span)
{
    public string FullName => Group is null ? Name.Text : $"{Group.Text}.{Name.Text}";
}

/// <summary><c>f(args)</c> or <c>group.f(args)</c>.</summary>
public sealed record CallSyntax(
    NameSyntax? Group,
    NameSyntax Function,
    IReadOnlyList<ExpressionSyntax> Arguments,
    TextSpan Span) : ExpressionSyntax(Span)
{
    public string FullName => Group is null ? Function.Text : $"{Group.Text}.{Function.Text}";
}

/// <summary><c>expr pages</c> / <c>expr bytes</c>: gives a plain count a unit.</summary>
public sealed record UnitSyntax(ExpressionSyntax Operand, NameSyntax Unit, TextSpan Span) : ExpressionSyntax(Span);

public sealed record UnarySyntax(string Operator, TextSpan OperatorSpan, ExpressionSyntax Operand, TextSpan Span)
    : ExpressionSyntax(Span);

public sealed record BinarySyntax(
    ExpressionSyntax Left,
    string Operator,
    TextSpan OperatorSpan,
    ExpressionSyntax Right,
    TextSpan Span) : ExpressionSyntax(Span);

public sealed record ConditionalSyntax(
    ExpressionSyntax Condition,
    ExpressionSyntax WhenTrue,
    ExpressionSyntax WhenFalse,
    TextSpan Span) : ExpressionSyntax(Span);

/// <summary>Stands where the parser could not make an expression; the error is already reported.</summary>
public sealed record MissingExpressionSyntax(TextSpan Span) : ExpressionSyntax(Span);

/// <summary>A <c>//</c> or <c>/* */</c> comment.</summary>
public sealed record CommentSyntax(string Text, TextSpan Span) : SyntaxNode(Span);

/// <summary><c>test "name" { given …; expect …; }</c>: a decision test or a scenario test.</summary>
public sealed record TestSyntax(
    StringSyntax Name,
    IReadOnlyList<TestStatementSyntax> Statements,
    TextSpan OpenBrace,
    TextSpan Span) : SyntaxNode(Span);

public abstract record TestStatementSyntax(TextSpan Span) : SyntaxNode(Span);

/// <summary><c>given order = 4, zone.free = 700000 pages;</c></summary>
public sealed record GivenSyntax(IReadOnlyList<GivenItemSyntax> Items, TextSpan Span) : TestStatementSyntax(Span);

/// <summary>One <c>name = expr</c> or <c>group.name = expr</c> of a <c>given</c>.</summary>
public sealed record GivenItemSyntax(NameSyntax? Group, NameSyntax Name, ExpressionSyntax Value, TextSpan Span) : SyntaxNode(Span)
{
    public string FullName => Group is null ? Name.Text : $"{Group.Text}.{Name.Text}";
}

/// <summary>
/// <c>expect TARGET OP expr;</c> (<see cref="Operator"/> and <see cref="Value"/> set) or
/// <c>expect shrinker "sb-xfs" defers;</c> (<see cref="Verb"/> set).
/// </summary>
public sealed record ExpectSyntax(
    RuleRefSyntax Target,
    string? Operator,
    ExpressionSyntax? Value,
    NameSyntax? Verb,
    TextSpan Span) : TestStatementSyntax(Span);

/// <summary>What an expectation checks: <c>may_compact</c>, <c>gfp.may_compact</c>, <c>shrinker "sb-*".batch</c>, <c>verdict</c>.</summary>
public sealed record RuleRefSyntax(NameSyntax First, StringSyntax? Pattern, NameSyntax? Second, TextSpan Span) : SyntaxNode(Span)
{
    public override string ToString() =>
        First.Text + (Pattern is null ? "" : $" \"{Pattern.Value}\"") + (Second is null ? "" : "." + Second.Text);
}
