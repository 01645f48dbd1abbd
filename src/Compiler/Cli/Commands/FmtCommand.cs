using System.CommandLine;
using Policyc.Compiler.Diagnostics;
using Policyc.Compiler.Formatting;
using Policyc.Compiler.Syntax;
using Policyc.Compiler.Text;
using Policyc.Cli.Output;

namespace Policyc.Cli.Commands;

/// <summary>
/// <c>policyc fmt [--check] FILE…</c>: rewrites files in the canonical layout; with --check, only
/// lists the files that are not formatted and exits 1 if there are any. Files with syntax errors
/// are reported and left alone.
/// </summary>
public static class FmtCommand
{
    public static Command Create()
    {
        var files = PathArguments.Many("FILE", ".rpol files to format in place", ArgumentArity.OneOrMore);
        var check = new Option<bool>("--check") { Description = "Change nothing; exit 1 if a file is not formatted" };
        var json = new Option<bool>("--json") { Description = "Print diagnostics as JSON on standard output" };
        var command = new Command("fmt", "Format policies in the canonical layout") { files, check, json };
        command.SetAction(parse =>
        {
            bool checkOnly = parse.GetValue(check);
            bool asJson = parse.GetValue(json);
            var bag = new DiagnosticBag();
            bool unformatted = false;
            foreach (var file in parse.GetValue(files)!)
            {
                string source;
                try
                {
                    // Strict UTF-8: a lenient read would write U+FFFD back over bytes it did not understand.
                    source = SourceFile.Read(file);
                }
                catch (SourceFileException e)
                {
                    bag.ReportUnreadable(file, e);
                    continue;
                }
                if (Compiler.Bundling.Bundle.IsBundleText(source))
                {
                    bag.ReportBundleNotPolicy(new TextLocation(SourceText.From(source, file), new TextSpan(0, 0)));
                    continue;
                }
                var tree = SyntaxTree.Parse(SourceText.From(source, file));
                bag.AddRange(tree.Diagnostics);
                if (Formatter.Format(tree) is not { } formatted || formatted == source)
                    continue;
                if (checkOnly)
                {
                    unformatted = true;
                    CommandOutput.Status(asJson, $"{file}: not formatted");
                }
                else
                {
                    // Replaced in one step: an interrupted fmt leaves the old text or the new, never half.
                    AtomicFile.WriteAllText(file, formatted);
                    CommandOutput.Status(asJson, $"{file}: formatted");
                }
            }
            var diagnostics = bag.ToSortedList();
            CommandOutput.WriteDiagnostics(diagnostics, asJson);
            return unformatted || diagnostics.Any(d => d.IsError) ? 1 : 0;
        });
        return command;
    }
}
