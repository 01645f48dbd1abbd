using System.CommandLine;
using Policyc.Cli.Output;
using Policyc.Compiler.Diagnostics;

namespace Policyc.Cli.Commands;

/// <summary>How build, check and fmt print diagnostics: the console form, or JSON with --json.</summary>
static class CommandOutput
{
    /// <summary>Each diagnostic once: files that share a base each report its errors.</summary>
    public static void WriteDiagnostics(IEnumerable<Diagnostic> all, bool json)
    {
        var diagnostics = DiagnosticBag.Distinct(all).ToArray();
        if (json)
            DiagnosticFormatter.WriteJson(diagnostics, Console.Out);
        else if (diagnostics.Length > 0)
            DiagnosticFormatter.WriteConsole(diagnostics, Console.Error);
    }

    /// <summary>
    /// Prints a report, returning (not throwing) a failure to write standard output, so that the
    /// files the user asked for are still written before the command fails.
    /// </summary>
    public static StandardOutputException? TryPrint(Action print)
    {
        try
        {
            print();
            return null;
        }
        catch (StandardOutputException e)
        {
            return e;
        }
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
