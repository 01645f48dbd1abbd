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
        catch (Tomlyn.TomlException e)
        {
            // Tomlyn stops at 64 nested arrays or inline tables with an exception that has no
            // position; a flat file needs two levels at most, so say where the nesting runs away.
            if (NestedTooDeep(text) is { } at)
            {
                var (line, column) = TextPosition.Of(text, at);
                error = $"{path}({line},{column}): invalid TOML: arrays or inline tables nested {MaxNesting} deep or more";
            }
            else
                error = $"{path}(1,1): invalid TOML: {e.Message}";
            return null;
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

    /// <summary>Tomlyn's default limit on nested arrays and inline tables: the 64th level is refused.</summary>
    const int MaxNesting = 64;

    /// <summary>
    /// The offset of the '[' or '{' that opens the <see cref="MaxNesting"/>th level, outside
    /// strings and comments, or null. (A table header's brackets close on its own line, so they never add up.)
    /// </summary>
    static int? NestedTooDeep(string text)
    {
        int depth = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is '"' or '\'')
            {
                // Skip the string: a basic one ends at an unescaped quote, a literal one at the next.
                for (i++; i < text.Length && text[i] != c; i++)
                    if (c == '"' && text[i] == '\\')
                        i++;
            }
            else if (c == '#')
                while (i + 1 < text.Length && text[i + 1] != '\n')
                    i++;
            else if (c is '[' or '{' && ++depth >= MaxNesting)
                return i;
            else if (c is ']' or '}' && depth > 0)
                depth--;
        }
        return null;
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
