namespace Policyc.Compiler.Diagnostics;

public enum DiagnosticSeverity
{
    Warning,
    Error,
}
