using Policyc.Compiler.Text;

namespace Policyc.Compiler.Diagnostics;

/// <summary>
/// One message about a policy. <see cref="Location"/> is null only for problems that belong to no
/// source text (a file that cannot be read is reported against its path with line 1, column 1).
/// </summary>
public sealed record Diagnostic(DiagnosticDescriptor Descriptor, string Path, TextLocation? Location, string Message)
{
    public string Code => Descriptor.Code;
    public DiagnosticSeverity Severity => Descriptor.Severity;
    public bool IsError => Severity == DiagnosticSeverity.Error;

    public LinePosition Start => Location?.Start ?? new LinePosition(1, 1);
    public LinePosition End => Location?.End ?? new LinePosition(1, 1);
    public TextSpan Span => Location?.Span ?? default;

    /// <summary>The first line of the console form: <c>path(line,col): error RP0001: message</c>.</summary>
    public override string ToString() =>
        $"{Path}({Start.Line},{Start.Column}): {(IsError ? "error" : "warning")} {Code}: {Message}";
}
