using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Policyc.Runtime.Scenarios;

/// <summary>
/// Parses the flat TOML files policyc reads (scenario files, sweep files): keys and values at the top
/// level, no tables. Returns the document, or the first problem as <c>path(line,col): message</c> for
/// the caller to raise as its own error.
/// </summary>
public static class FlatToml
{
    public static DocumentSyntax? Parse(string path, string text, string what, out string? error)
    {
        DocumentSyntax document;
        try
        {
            document = SyntaxParser.Parse(text, path, false);
        }
        catch (ArgumentOutOfRangeException)
        {
            // Tomlyn's lexer throws while wording its error for a file that ends inside an escape
            // sequence ("\", "\u00"): it formats the end-of-file marker as a character.
            error = $"{AtEnd(path, text)}: invalid TOML: the file ends inside an escape sequence of a string";
            return null;
        }
        if (document.Diagnostics.FirstOrDefault(d => d.Kind == DiagnosticMessageKind.Error) is { } bad)
        {
            error = $"{At(path, bad.Span)}: invalid TOML: {bad.Message}";
            return null;
        }
        if (document.Tables.FirstOrDefault() is { } table)
        {
            error = $"{At(path, table.Span)}: {what} is a flat list of keys; tables are not used";
            return null;
        }
        error = null;
        return document;
    }

    /// <summary>The end of the text, as <c>path(line,col)</c>.</summary>
    static string AtEnd(string path, string text)
    {
        var (line, column) = TextPosition.Of(text, text.Length);
        return $"{path}({line},{column})";
    }

    /// <summary>Where a syntax node starts, as <c>path(line,col)</c> with 1-based line and column.</summary>
    public static string At(string path, SourceSpan span) => $"{path}({span.Start.Line + 1},{span.Start.Column + 1})";
}
