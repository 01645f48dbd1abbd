using System.CommandLine;
using Policyc.Compiler.Diagnostics;

namespace Policyc.Cli.Commands;

/// <summary>How build, check and fmt print diagnostics: the console form, or JSON with --json.</summary>
static class CommandOutput
{
    public static void WriteDiagnostics(IReadOnlyList<Diagnostic> diagnostics, bool json)
    {
        if (json)
            DiagnosticFormatter.WriteJson(diagnostics, Console.Out);
        else if (diagnostics.Count > 0)
            DiagnosticFormatter.WriteConsole(diagnostics, Console.Error);
    }

    /// <summary>A status line for people; kept off stdout when --json output goes there.</summary>
    public static void Status(bool json, string line)
    {
        if (json)
            Console.Error.WriteLine(line);
        else
            Console.WriteLine(line);
    }
}
