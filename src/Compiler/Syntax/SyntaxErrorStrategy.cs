using Antlr4.Runtime;
using Antlr4.Runtime.Misc;
using Policyc.Compiler.Diagnostics;
using Policyc.Compiler.Syntax.Generated;
using Policyc.Compiler.Text;

namespace Policyc.Compiler.Syntax;

/// <summary>
/// ANTLR's recovering strategy with the compiler's own wording: every syntax error goes to the
/// diagnostic bag (never to the console), and the parser carries on so one run reports them all.
/// Errors at a bad character are left to the lexer check, which reports the character itself.
/// </summary>
sealed class SyntaxErrorStrategy(SourceText text, DiagnosticBag diagnostics) : DefaultErrorStrategy
{
    protected override void ReportNoViableAlternative(Parser recognizer, NoViableAltException e) =>
        Report(e.OffendingToken, $"unexpected {Describe(e.OffendingToken)}{Expecting(recognizer)}");

    protected override void ReportInputMismatch(Parser recognizer, InputMismatchException e) =>
        Report(e.OffendingToken, $"unexpected {Describe(e.OffendingToken)}{Expecting(recognizer)}");

    protected override void ReportFailedPredicate(Parser recognizer, FailedPredicateException e) =>
        Report(e.OffendingToken, $"unexpected {Describe(e.OffendingToken)}");

    protected override void ReportUnwantedToken(Parser recognizer)
    {
        if (InErrorRecoveryMode(recognizer))
            return;
        BeginErrorCondition(recognizer);
        var token = recognizer.CurrentToken;
        Report(token, $"unexpected {Describe(token)}{Expecting(recognizer)}");
    }

    protected override void ReportMissingToken(Parser recognizer)
    {
        if (InErrorRecoveryMode(recognizer))
            return;
        BeginErrorCondition(recognizer);
        var token = recognizer.CurrentToken;
        var expected = GetExpectedTokens(recognizer);
        // A missing ';' or '}' is best shown at the end of what came before, where it belongs.
        var previous = ((ITokenStream)recognizer.InputStream).LT(-1);
        var at = previous is not null && previous.Type != TokenConstants.EOF
            ? new TextSpan(previous.StopIndex + 1, 0)
            : SpanOf(token);
        diagnostics.ReportSyntaxError(new TextLocation(text, at), $"missing {DescribeSet(expected)} before {Describe(token)}");
    }

    void Report(IToken token, string message)
    {
        if (token.Type == RpolLexer.BAD)
            return;
        diagnostics.ReportSyntaxError(new TextLocation(text, SpanOf(token)), message);
    }

    string Expecting(Parser recognizer)
    {
        var expected = recognizer.GetExpectedTokens();
        return expected.Count == 0 ? "" : $"; expected {DescribeSet(expected)}";
    }

    internal TextSpan SpanOf(IToken token) => token.Type == TokenConstants.EOF
        ? new TextSpan(text.Length, 0)
        : TextSpan.FromBounds(token.StartIndex, token.StopIndex + 1);

    static string Describe(IToken token) => token.Type switch
    {
        TokenConstants.EOF => "end of file",
        RpolLexer.IDENT => $"name '{token.Text}'",
        RpolLexer.NUMBER => $"number '{token.Text}'",
        RpolLexer.STRING => $"string {DiagnosticBag.Printable(token.Text)}",
        _ => $"'{DiagnosticBag.Printable(token.Text)}'",
    };

    /// <summary>Names a set of expected tokens the way a person would: "an expression", "';'".</summary>
    static string DescribeSet(IntervalSet set)
    {
        var types = set.ToArray();
        if (types.Contains(RpolLexer.NUMBER) && types.Contains(RpolLexer.IDENT) && types.Length > 4)
            return "an expression";
        var names = types.Select(t => t switch
        {
            TokenConstants.EOF => "end of file",
            RpolLexer.IDENT => "a name",
            RpolLexer.NUMBER => "a number",
            RpolLexer.STRING => "a string",
            _ => RpolLexer.DefaultVocabulary.GetLiteralName(t) ?? RpolLexer.DefaultVocabulary.GetDisplayName(t),
        }).Distinct().ToArray();
        return names.Length switch
        {
            0 => "something else",
            1 => names[0],
            _ => string.Join(", ", names[..^1]) + " or " + names[^1],
        };
    }
}
