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
        foreach (var d in diagnostics)
        {
            writer.WriteLine(d.ToString());
            if (d.Location is not { } location)
                continue;
            var text = location.Text;
            if (text.Length == 0)
                continue;
            int lineIndex = text.GetLineIndex(Math.Min(location.Span.Start, text.Length));
            string line = text.GetLineText(lineIndex);
            int column = location.Span.Start - text.GetLineStart(lineIndex);
            int width = Math.Max(1, Math.Min(location.Span.Length, line.Length - column));
            writer.WriteLine("    " + DiagnosticBag.Printable(line.Replace('\t', ' ')));
            writer.WriteLine("    " + new string(' ', Math.Max(0, column)) + "^" + new string('~', width - 1));
        }
        int errors = diagnostics.Count(d => d.IsError);
        int warnings = diagnostics.Count - errors;
        if (diagnostics.Count > 0)
            writer.WriteLine($"{errors} error{(errors == 1 ? "" : "s")}, {warnings} warning{(warnings == 1 ? "" : "s")}");
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
