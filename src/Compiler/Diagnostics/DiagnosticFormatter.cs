using System.Text.Json;

namespace Policyc.Compiler.Diagnostics;

/// <summary>Renders diagnostics for people (source line and caret) and for tools (JSON).</summary>
public static class DiagnosticFormatter
{
    /// <summary>
    /// <c>path(line,col): error RP0001: message</c>, then the source line and a caret under the span:
    /// the form compilers and editors already understand.
    /// </summary>
    public static void WriteConsole(IReadOnlyList<Diagnostic> diagnostics, TextWriter writer)
    {
        foreach (var d in diagnostics.Take(MaxShown))
        {
            writer.WriteLine(d.ToString());
            if (d.Location is not { } location)
                continue;
            var text = location.Text;
            if (text.Length == 0)
                continue;
            int lineIndex = text.GetLineIndex(Math.Min(location.Span.Start, text.Length));
            string line = text.GetLineText(lineIndex);
            int column = Math.Min(location.Span.Start - text.GetLineStart(lineIndex), line.Length);
            WriteExcerpt(writer, line, column, location.Span.Length);
        }
        if (diagnostics.Count > MaxShown)
            writer.WriteLine($"... {diagnostics.Count - MaxShown} more not shown (--json lists them all)");
        int errors = diagnostics.Count(d => d.IsError);
        int warnings = diagnostics.Count - errors;
        if (diagnostics.Count > 0)
            writer.WriteLine($"{errors} error{(errors == 1 ? "" : "s")}, {warnings} warning{(warnings == 1 ? "" : "s")}");
    }

    /// <summary>
    /// Most diagnostics printed to the console; the count line still counts them all. A 1 MiB file of
    /// stray characters would otherwise print each of its lines once per character.
    /// </summary>
    public const int MaxShown = 100;

    /// <summary>Widest excerpt of a source line printed under a diagnostic, in source characters.</summary>
    public const int MaxExcerptWidth = 100;

    /// <summary>
    /// The source line (a window of it around the span when it is long) and a caret under the span.
    /// Non-ASCII and control characters are printed escaped, so bidi controls cannot reorder the
    /// terminal's view of the line; the caret is placed by the escaped width.
    /// </summary>
    static void WriteExcerpt(TextWriter writer, string line, int column, int spanLength)
    {
        int start = line.Length <= MaxExcerptWidth ? 0 : Math.Clamp(column - MaxExcerptWidth / 3, 0, line.Length - MaxExcerptWidth);
        int end = Math.Min(line.Length, start + MaxExcerptWidth);
        string before = start > 0 ? "..." : "";
        string after = end < line.Length ? "..." : "";
        string shown = line[start..end].Replace('\t', ' ');
        int caret = before.Length + DiagnosticBag.Printable(shown[..(column - start)]).Length;
        int spanEnd = Math.Min(end, column + Math.Max(1, spanLength));
        int width = Math.Max(1, DiagnosticBag.Printable(line[column..Math.Max(column, spanEnd)]).Length);
        writer.WriteLine("    " + before + DiagnosticBag.Printable(shown) + after);
        writer.WriteLine("    " + new string(' ', caret) + "^" + new string('~', width - 1));
    }

    /// <summary>
    /// A JSON array, one object per diagnostic: code, severity, file, line, column, end_line,
    /// end_column, start and length (0-based offsets) and message.
    /// </summary>
    public static void WriteJson(IReadOnlyList<Diagnostic> diagnostics, TextWriter writer)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = true,
            // Messages quote names with ' and show paths; keep them readable (the output is not HTML).
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            json.WriteStartArray();
            foreach (var d in diagnostics)
            {
                json.WriteStartObject();
                json.WriteString("code", d.Code);
                json.WriteString("severity", d.IsError ? "error" : "warning");
                json.WriteString("file", d.Path);
                json.WriteNumber("line", d.Start.Line);
                json.WriteNumber("column", d.Start.Column);
                json.WriteNumber("end_line", d.End.Line);
                json.WriteNumber("end_column", d.End.Column);
                json.WriteNumber("start", d.Span.Start);
                json.WriteNumber("length", d.Span.Length);
                json.WriteString("message", d.Message);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        writer.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
