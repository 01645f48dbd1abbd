using System.Text;
using Policyc.Compiler.Syntax;
using Policyc.Compiler.Text;

namespace Policyc.Compiler.Formatting;

/// <summary>
/// The canonical layout of a .rpol file: two-space indentation, one statement per line, '='
/// aligned within a run of statements (a run ends at a blank line or a comment line), trailing
/// comments aligned within a run, at most one blank line kept where the author left any. Every
/// comment is kept: a comment inside a statement moves to the line above it. Idempotent.
/// Only a file without syntax errors is formatted.
/// </summary>
public sealed class Formatter
{
    const string Indent = "  ";

    readonly SourceText text;
    readonly List<CommentSyntax> comments;
    readonly bool[] used;
    readonly List<string> lines = [];

    Formatter(SyntaxTree tree)
    {
        text = tree.Text;
        comments = tree.Comments.OrderBy(c => c.Span.Start).ToList();
        used = new bool[comments.Count];
    }

    /// <summary>The formatted text, or null if the tree has errors (report its diagnostics instead).</summary>
    public static string? Format(SyntaxTree tree)
    {
        if (tree.HasErrors || (tree.Policy is null && tree.Tests.Count == 0))
            return null;
        var formatter = new Formatter(tree);
        formatter.FormatFile(tree);
        return string.Join("\n", formatter.lines) + "\n";
    }

    public static string? Format(string source, string path = "<input>") => Format(SyntaxTree.Parse(source, path));

    /// <summary>The policy and the test blocks, in source order, one blank line between them.</summary>
    void FormatFile(SyntaxTree tree)
    {
        var declarations = tree.Policies.Cast<SyntaxNode>().Concat(tree.Tests).OrderBy(d => d.Span.Start).ToList();
        int previousEnd = 0;
        foreach (var declaration in declarations)
        {
            var leading = Take(previousEnd, declaration.Span.Start);
            if (lines.Count > 0)
                lines.Add("");
            // Comments before a declaration: a header, with the author's blank lines (at most one).
            EmitCommentLines(leading, "", afterPosition: previousEnd, firstInFile: previousEnd == 0);
            if (leading.Count > 0 && BlankLineBetween(LastCommentEnd(previousEnd, declaration.Span.Start), declaration.Span.Start))
                lines.Add("");
            if (declaration is PolicySyntax policy)
                FormatPolicy(policy);
            else
                FormatTest((TestSyntax)declaration);
            previousEnd = declaration.Span.End;
        }

        var rest = Take(previousEnd, text.Length);
        if (rest.Count > 0)
        {
            if (BlankLineBetween(previousEnd, rest[0].Span.Start))
                lines.Add("");
            EmitCommentLines(rest, "", afterPosition: previousEnd);
        }
    }

    void FormatPolicy(PolicySyntax policy)
    {
        var header = new StringBuilder("policy ").Append(policy.Name.Text);
        if (policy.Base is { } b)
            header.Append(" extends ").Append(b.IsPath ? Quote(b.Text) : b.Text);
        header.Append(" {");
        var headerComments = Take(policy.Span.Start, policy.OpenBrace.Start);
        EmitCommentLines(headerComments.SkipLast(1).ToList(), "", afterPosition: -1);
        string headerLine = header.ToString();
        var trailing = headerComments.LastOrDefault() ?? TrailingAfter(policy.OpenBrace.End);
        lines.Add(trailing is null ? headerLine : headerLine + " " + trailing.Text);

        var items = policy.Members.Select(m => m switch
        {
            ConstSyntax c => Item.Statement(c.Span, "const " + c.Name.Text, c.Value),
            SectionSyntax s => Item.Block(s),
            _ => throw new InvalidOperationException(),
        }).ToList();
        int closeBrace = policy.Span.End - 1;
        FormatItems(items, Indent, policy.OpenBrace.End, closeBrace);
        lines.Add("}" + TrailingSuffix(policy.Span.End));
    }

    /// <summary>
    /// <c>test "name" {</c>, one statement per line (a long 'given' continues under its first item),
    /// comments kept above the statement they precede or trailing it.
    /// </summary>
    void FormatTest(TestSyntax test)
    {
        var headerComments = Take(test.Span.Start, test.OpenBrace.Start);
        EmitCommentLines(headerComments, "", afterPosition: -1);
        lines.Add($"test {Quote(test.Name.Value)} {{" + TrailingSuffix(test.OpenBrace.End));
        int previousEnd = test.OpenBrace.End;
        bool first = true;
        foreach (var statement in test.Statements)
        {
            var leading = Take(previousEnd, statement.Span.Start);
            if (!first && BlankLineBetween(previousEnd, leading.Count > 0 ? leading[0].Span.Start : statement.Span.Start))
                lines.Add("");
            EmitCommentLines(leading, Indent, afterPosition: -1);
            EmitCommentLines(Take(statement.Span.Start, statement.Span.End), Indent, afterPosition: -1);
            var printed = PrintTestStatement(statement);
            printed[^1] += TrailingSuffix(statement.Span.End);
            lines.AddRange(printed);
            previousEnd = statement.Span.End;
            first = false;
        }
        int closeBrace = test.Span.End - 1;
        EmitCommentLines(Take(previousEnd, closeBrace), Indent, afterPosition: -1);
        lines.Add("}" + TrailingSuffix(test.Span.End));
    }

    const int GivenLineWidth = 100;

    List<string> PrintTestStatement(TestStatementSyntax statement)
    {
        switch (statement)
        {
            case GivenSyntax given:
                {
                    string prefix = Indent + "given ";
                    var items = given.Items.Select(i => $"{i.FullName} = {ExpressionPrinter.Print(text, i.Value, prefix.Length)}").ToList();
                    string oneLine = prefix + string.Join(", ", items) + ";";
                    if (oneLine.Length <= GivenLineWidth && !oneLine.Contains('\n'))
                        return [oneLine];
                    var result = new List<string>();
                    for (int i = 0; i < items.Count; i++)
                        result.Add((i == 0 ? prefix : new string(' ', prefix.Length)) + items[i] + (i == items.Count - 1 ? ";" : ","));
                    return result;
                }
            case ExpectSyntax expect:
                {
                    var target = new StringBuilder(expect.Target.First.Text);
                    if (expect.Target.Pattern is { } p)
                        target.Append(' ').Append(Quote(p.Value));
                    if (expect.Target.Second is { } second)
                        target.Append('.').Append(second.Text);
                    string prefix = $"{Indent}expect {target} ";
                    if (expect.Verb is { } verb)
                        return [prefix + verb.Text + ";"];
                    prefix += expect.Operator + " ";
                    return (prefix + ExpressionPrinter.Print(text, expect.Value!, prefix.Length) + ";").Split('\n').ToList();
                }
            default:
                throw new InvalidOperationException();
        }
    }

    /// <summary>A statement (<c>name = expr;</c>) or a section, with its span.</summary>
    sealed record Item(TextSpan Span, string? Name, ExpressionSyntax? Value, SectionSyntax? Section)
    {
        public static Item Statement(TextSpan span, string name, ExpressionSyntax value) => new(span, name, value, null);
        public static Item Block(SectionSyntax section) => new(section.Span, null, null, section);
    }

    /// <summary>Prints items between <paramref name="start"/> (after an open brace) and a close brace.</summary>
    void FormatItems(List<Item> items, string indent, int start, int closeBrace)
    {
        int previousEnd = start;
        var run = new List<(Item Item, List<CommentSyntax> Inner, CommentSyntax? Trailing)>();
        bool first = true;
        foreach (var item in items)
        {
            var leading = Take(previousEnd, item.Span.Start);
            bool blank = !first && BlankLineBetween(previousEnd, leading.Count > 0 ? leading[0].Span.Start : item.Span.Start);
            if (leading.Count > 0 || blank || item.Section is not null)
                FlushRun(run, indent);
            if (blank)
                lines.Add("");
            EmitCommentLines(leading, indent, afterPosition: previousEnd);
            if (leading.Count > 0 && BlankLineBetween(leading[^1].Span.End, item.Span.Start))
                lines.Add("");

            if (item.Section is { } section)
            {
                FormatSection(section, indent);
                previousEnd = section.Span.End;
                int afterTrailing = used.Select((u, i) => (u, i)).Where(x => x.u && comments[x.i].Span.Start >= section.Span.End)
                    .Select(x => comments[x.i].Span.End).DefaultIfEmpty(section.Span.End).Max();
                previousEnd = Math.Max(previousEnd, afterTrailing);
            }
            else
            {
                var inner = Take(item.Span.Start, item.Span.End);
                // Comments written inside a statement are printed on lines of their own above it, and
                // a comment line ends a run: end the run here too, or a second fmt would align differently.
                if (inner.Count > 0)
                    FlushRun(run, indent);
                var trailing = TrailingAfter(item.Span.End);
                run.Add((item, inner, trailing));
                previousEnd = trailing?.Span.End ?? item.Span.End;
            }
            first = false;
        }
        FlushRun(run, indent);

        var closing = Take(previousEnd, closeBrace);
        if (closing.Count > 0)
        {
            if (items.Count > 0 && BlankLineBetween(previousEnd, closing[0].Span.Start))
                lines.Add("");
            EmitCommentLines(closing, indent, afterPosition: previousEnd);
        }
    }

    void FormatSection(SectionSyntax section, string indent)
    {
        var header = new StringBuilder(indent).Append(section.Kind.Text);
        if (section.Pattern is { } p)
            header.Append(' ').Append(Quote(p.Value));
        header.Append(" {");
        var headerComments = Take(section.Span.Start, section.OpenBrace.Start);
        EmitCommentLines(headerComments.SkipLast(1).ToList(), indent, afterPosition: -1);
        var trailing = headerComments.LastOrDefault() ?? TrailingAfter(section.OpenBrace.End);

        int closeBrace = section.Span.End - 1;
        // A short section stays on one line when its author wrote it so: swap { skip_lowest_bit = false; }
        if (section.Rules.Count == 1 && trailing is null && !text.ToString(section.Span).Contains('\n')
            && Take(section.Span.Start, section.Span.End, peek: true).Count == 0)
        {
            var rule = section.Rules[0];
            string body = ExpressionPrinter.Print(text, rule.Value, 0);
            if (!body.Contains('\n'))
            {
                lines.Add($"{header} {rule.Name.Text} = {body}; }}" + TrailingSuffix(section.Span.End));
                return;
            }
        }

        lines.Add(trailing is null ? header.ToString() : header + " " + trailing.Text);
        var items = section.Rules.Select(r => Item.Statement(r.Span, r.Name.Text, r.Value)).ToList();
        FormatItems(items, indent + Indent, section.OpenBrace.End, closeBrace);
        lines.Add(indent + "}" + TrailingSuffix(section.Span.End));
    }

    /// <summary>Prints a run of statements with '=' aligned, and their trailing comments aligned.</summary>
    void FlushRun(List<(Item Item, List<CommentSyntax> Inner, CommentSyntax? Trailing)> run, string indent)
    {
        if (run.Count == 0)
            return;
        int nameWidth = run.Max(r => r.Item.Name!.Length);
        var printed = new List<(List<string> Lines, CommentSyntax? Trailing)>();
        foreach (var (item, inner, trailing) in run)
        {
            EmitCommentLines(inner, indent, afterPosition: -1);
            string prefix = indent + item.Name!.PadRight(nameWidth) + " = ";
            string body = ExpressionPrinter.Print(text, item.Value!, prefix.Length);
            var statement = (prefix + body + ";").Split('\n').ToList();
            printed.Add((statement, trailing));
            // Comments moved out of a statement go above it, so print statements as they come.
            lines.AddRange(statement);
        }
        // Align trailing comments: the column after the longest last line among commented statements.
        var commented = printed.Where(p => p.Trailing is not null).ToList();
        if (commented.Count > 0)
        {
            int column = commented.Max(p => p.Lines[^1].Length) + 2;
            int cursor = lines.Count;
            for (int i = printed.Count - 1; i >= 0; i--)
            {
                cursor -= printed[i].Lines.Count;
                if (printed[i].Trailing is { } t)
                {
                    int last = cursor + printed[i].Lines.Count - 1;
                    lines[last] = lines[last].PadRight(column) + t.Text;
                }
            }
            _ = cursor;
        }
        run.Clear();
    }

    /// <summary>
    /// Emits comments on lines of their own, keeping one blank line where the author had any.
    /// <paramref name="afterPosition"/> is where the preceding content ended (-1: no blank lines).
    /// </summary>
    void EmitCommentLines(IReadOnlyList<CommentSyntax> list, string indent, int afterPosition, bool firstInFile = false)
    {
        int previous = afterPosition;
        foreach (var comment in list)
        {
            if (previous >= 0 && !(firstInFile && previous == 0 && lines.Count == 0) && BlankLineBetween(previous, comment.Span.Start) && lines.Count > 0 && lines[^1].Length > 0)
                lines.Add("");
            foreach (var line in CommentLines(comment))
                lines.Add(indent + line);
            previous = comment.Span.End;
        }
    }

    /// <summary>A block comment's lines keep their text; only their indentation is made canonical.</summary>
    static IEnumerable<string> CommentLines(CommentSyntax comment)
    {
        var parts = comment.Text.Replace("\r\n", "\n").Split('\n');
        yield return parts[0].TrimEnd();
        foreach (var part in parts.Skip(1))
            yield return " " + part.Trim();
    }

    /// <summary>
    /// The comment that follows <paramref name="position"/> with only spaces between, if any; marks it
    /// used. A comment after further code on the line belongs to that code, not to what ends here.
    /// </summary>
    CommentSyntax? TrailingAfter(int position)
    {
        for (int i = 0; i < comments.Count; i++)
        {
            if (used[i] || comments[i].Span.Start < position)
                continue;
            if (!OnlySpacesBetween(position, comments[i].Span.Start) || comments[i].Text.Contains('\n'))
                return null;
            used[i] = true;
            return comments[i];
        }
        return null;
    }

    string TrailingSuffix(int position) => TrailingAfter(position) is { } c ? " " + c.Text : "";

    List<CommentSyntax> Take(int start, int end, bool peek = false)
    {
        var result = new List<CommentSyntax>();
        for (int i = 0; i < comments.Count; i++)
        {
            if (used[i] || comments[i].Span.Start < start || comments[i].Span.Start >= end)
                continue;
            if (!peek)
                used[i] = true;
            result.Add(comments[i]);
        }
        return result;
    }

    int LastCommentEnd(int start, int end) =>
        comments.Where(c => c.Span.Start >= start && c.Span.End <= end).Select(c => c.Span.End).DefaultIfEmpty(start).Max();

    bool OnlySpacesBetween(int from, int to)
    {
        for (int i = Math.Max(0, from); i < to && i < text.Length; i++)
            if (text[i] is not (' ' or '\t'))
                return false;
        return true;
    }

    bool BlankLineBetween(int from, int to)
    {
        int newlines = 0;
        for (int i = Math.Max(0, from); i < to && i < text.Length; i++)
        {
            if (text[i] == '\n' && ++newlines >= 2)
                return true;
        }
        return false;
    }

    static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
