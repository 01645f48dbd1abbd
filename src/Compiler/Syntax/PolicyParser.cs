using Antlr4.Runtime;
using Policyc.Compiler.Diagnostics;
using Policyc.Compiler.Syntax.Generated;
using Policyc.Compiler.Text;

namespace Policyc.Compiler.Syntax;

/// <summary>
/// Runs the ANTLR lexer and parser over one file and turns the result into a <see cref="SyntaxTree"/>.
/// Input that breaks a limit is rejected before parsing, so no input can recurse the parser too deep.
/// </summary>
static class PolicyParser
{
    public static SyntaxTree Parse(SourceText text)
    {
        var diagnostics = new DiagnosticBag();
        if (text.Length > Limits.MaxFileLength)
        {
            diagnostics.ReportFileTooLarge(new TextLocation(text, new TextSpan(0, 0)), text.Length, Limits.MaxFileLength);
            return new SyntaxTree(text, [], [], diagnostics.ToSortedList());
        }

        var lexer = new RpolLexer(new AntlrInputStream(text.Text));
        lexer.RemoveErrorListeners();
        var tokens = new CommonTokenStream(lexer);
        tokens.Fill();

        var comments = new List<CommentSyntax>();
        // A run of adjacent bad characters is one diagnostic, not one per character: a binary file
        // given by mistake must not produce a million errors.
        var badRun = new TextSpan(0, 0);
        void ReportBadRun()
        {
            if (badRun.Length == 0)
                return;
            string shown = text.ToString(badRun);
            diagnostics.ReportInvalidCharacter(new TextLocation(text, badRun), shown.Length > 16 ? shown[..16] + "..." : shown);
            badRun = new TextSpan(0, 0);
        }
        foreach (var token in tokens.GetTokens())
        {
            var span = TextSpan.FromBounds(token.StartIndex, token.StopIndex + 1);
            if (token.Type != RpolLexer.BAD || span.Start != badRun.End)
                ReportBadRun();
            switch (token.Type)
            {
                case RpolLexer.BAD:
                    badRun = badRun.Length == 0 ? span : TextSpan.FromBounds(badRun.Start, span.End);
                    break;
                case RpolLexer.LINE_COMMENT or RpolLexer.BLOCK_COMMENT:
                    comments.Add(new CommentSyntax(token.Text, span));
                    break;
                case RpolLexer.IDENT when token.Text.Length > Limits.MaxNameLength:
                    diagnostics.ReportNameTooLong(new TextLocation(text, span), token.Text.Length, Limits.MaxNameLength);
                    break;
            }
        }
        ReportBadRun();

        if (!CheckNesting(text, tokens.GetTokens(), diagnostics))
            return new SyntaxTree(text, [], comments, diagnostics.ToSortedList());

        var parser = new RpolParser(tokens);
        parser.RemoveErrorListeners();
        parser.ErrorHandler = new SyntaxErrorStrategy(text, diagnostics);
        var unit = parser.compilationUnit();

        var builder = new SyntaxTreeBuilder(text, diagnostics);
        var policies = builder.Build(unit);
        var tests = builder.BuildTests(unit);
        // A file of tests alone is a test file (NAME.test.rpol); any other file holds one policy.
        bool testFile = policies.Count == 0 && tests.Count > 0;
        if (policies.Count != 1 && !testFile && !diagnostics.HasErrors)
        {
            var at = policies.Count == 0 ? new TextSpan(0, 0) : policies[1].Name.Span;
            diagnostics.ReportPolicyCount(new TextLocation(text, at), policies.Count);
        }
        return new SyntaxTree(text, policies, comments, diagnostics.ToSortedList(), tests);
    }

    /// <summary>
    /// Measures each statement's nesting (open parentheses plus operators, a bound on the depth of
    /// its tree) before the recursive parser sees it.
    /// </summary>
    static bool CheckNesting(SourceText text, IList<IToken> tokens, DiagnosticBag diagnostics)
    {
        int depth = 0, operators = 0;
        bool ok = true;
        foreach (var token in tokens)
        {
            if (token.Channel != TokenConstants.DefaultChannel)
                continue;
            switch (token.Text)
            {
                case ";" or "{" or "}":
                    depth = 0;
                    operators = 0;
                    continue;
                case "(":
                    depth++;
                    break;
                case ")":
                    depth = Math.Max(0, depth - 1);
                    break;
                case "!" or "-" or "~" or "*" or "/" or "%" or "+" or "<<" or ">>" or "<" or "<=" or ">" or ">="
                    or "==" or "!=" or "&" or "^" or "|" or "&&" or "||" or "?" or "pages" or "bytes":
                    operators++;
                    break;
            }
            if (depth + operators > Limits.MaxNesting)
            {
                var span = TextSpan.FromBounds(token.StartIndex, token.StopIndex + 1);
                diagnostics.ReportNestingTooDeep(new TextLocation(text, span), Limits.MaxNesting);
                ok = false;
                depth = 0;
                operators = int.MinValue / 2; // one report per statement
            }
        }
        return ok;
    }
}
