using System.CommandLine;
using Policyc.Compiler.Binding;
using Policyc.Compiler.Testing;

namespace Policyc.Cli.Commands;

/// <summary><c>policyc check FILE…</c>: parse and bind policies and their tests (in the file and in NAME.test.rpol beside it), report every diagnostic, build and run nothing.</summary>
public static class CheckCommand
{
    public static Command Create()
    {
        var files = PathArguments.Many("FILE", ".rpol files to check", ArgumentArity.OneOrMore);
        var json = new Option<bool>("--json") { Description = "Print diagnostics as JSON on standard output" };
        var command = new Command("check", "Check policies and their tests for errors without building or running them") { files, json };
        command.SetAction(parse =>
        {
            bool asJson = parse.GetValue(json);
            var diagnostics = new List<Compiler.Diagnostics.Diagnostic>();
            // A policy is checked with its NAME.test.rpol, as `policyc test` runs it; a file named twice, once.
            foreach (var file in parse.GetValue(files)!.SelectMany(TestDiscovery.WithTestFile).Distinct(StringComparer.Ordinal))
            {
                var compilation = PolicyCompilation.Load(file);
                diagnostics.AddRange(compilation.Diagnostics);
                if (compilation.HasErrors)
                    continue;
                // The file's tests too, bound against the policy they test (and not run): a test
                // naming a field that does not exist is as much an error as a rule that does.
                var tests = TestRunner.Check(file);
                diagnostics.AddRange(tests);
                if (!tests.Any(d => d.IsError))
                    CommandOutput.Status(asJson, $"{file}: ok");
            }
            CommandOutput.WriteDiagnostics(diagnostics, asJson);
            return diagnostics.Any(d => d.IsError) ? 1 : 0;
        });
        return command;
    }
}
