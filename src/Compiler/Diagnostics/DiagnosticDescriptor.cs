namespace Policyc.Compiler.Diagnostics;

/// <summary>One kind of diagnostic: its stable code, its severity and a one-line title for the docs.</summary>
public sealed record DiagnosticDescriptor(string Code, DiagnosticSeverity Severity, string Title);
