using System.Text;
using Policyc.Compiler.Syntax;
using Policyc.Compiler.Text;

namespace Policyc.Compiler.Formatting;

/// <summary>
/// Prints an expression with canonical spacing. Line breaks are the author's: where the source
/// breaks a line at a binary operator, a <c>?</c>, a <c>:</c> or between arguments, the output breaks
/// too, before the operator, indented 4 columns per open parenthesis from the expression's start.
/// Parentheses are kept as written.
/// </summary>
sealed class ExpressionPrinter(SourceText text, int startColumn)
{
    readonly StringBuilder sb = new();
    int depth;

    public static string Print(SourceText text, ExpressionSyntax expression, int startColumn)
    {
        var printer = new ExpressionPrinter(text, startColumn);
        printer.Write(expression);
        return printer.sb.ToString();
    }

    void Write(ExpressionSyntax e)
    {
        switch (e)
        {
            case NumberSyntax n:
                sb.Append(n.Text);
                break;
            case BoolSyntax b:
                sb.Append(b.Value ? "true" : "false");
                break;
            case BaseSyntax:
                sb.Append("base");
                break;
            case NameExpressionSyntax n:
                sb.Append(n.FullName);
                break;
            case ParenthesizedSyntax p:
                sb.Append('(');
                depth++;
                Write(p.Inner);
                depth--;
                sb.Append(')');
                break;
            case CallSyntax c:
                sb.Append(c.FullName).Append('(');
                depth++;
                for (int i = 0; i < c.Arguments.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                        if (BrokenBetween(c.Arguments[i - 1].Span.End, c.Arguments[i].Span.Start))
                            Break();
                        else
                            sb.Append(' ');
                    }
                    Write(c.Arguments[i]);
                }
                depth--;
                sb.Append(')');
                break;
            case UnitSyntax u:
                Write(u.Operand);
                sb.Append(' ').Append(u.Unit.Text);
                break;
            case UnarySyntax u:
                sb.Append(u.Operator);
                Write(u.Operand);
                break;
            case BinarySyntax b:
                Write(b.Left);
                Separator(b.Left.Span.End, b.Right.Start());
                sb.Append(b.Operator).Append(' ');
                Write(b.Right);
                break;
            case ConditionalSyntax c:
                Write(c.Condition);
                Separator(c.Condition.Span.End, c.WhenTrue.Span.Start);
                sb.Append("? ");
                Write(c.WhenTrue);
                Separator(c.WhenTrue.Span.End, c.WhenFalse.Span.Start);
                sb.Append(": ");
                Write(c.WhenFalse);
                break;
            default:
                sb.Append(text.ToString(e.Span));
                break;
        }
    }

    /// <summary>A space, or a line break if the author broke the line anywhere between the operands.</summary>
    void Separator(int leftEnd, int rightStart)
    {
        if (BrokenBetween(leftEnd, rightStart))
            Break();
        else
            sb.Append(' ');
    }

    void Break() => sb.Append('\n').Append(' ', startColumn + 4 * depth);

    bool BrokenBetween(int from, int to)
    {
        for (int i = from; i < to && i < text.Length; i++)
            if (text[i] == '\n')
                return true;
        return false;
    }
}

static class SpanExtensions
{
    public static int Start(this ExpressionSyntax e) => e.Span.Start;
}
