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

    /// <summary>
    /// The FILE… argument of build, check and fmt. A word starting with '-' is an unknown option,
    /// not a file: a usage error (exit 2) rather than "cannot read '--bogus'".
    /// </summary>
    public static Argument<string[]> FilesArgument(string description)
    {
        var files = new Argument<string[]>("FILE") { Description = description, Arity = ArgumentArity.OneOrMore };
        files.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
                if (token.Value.StartsWith('-') && token.Value.Length > 1)
                    result.AddError($"unknown option '{token.Value}'");
        });
        return files;
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
