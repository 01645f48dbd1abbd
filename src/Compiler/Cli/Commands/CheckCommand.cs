using System.CommandLine;
using Policyc.Compiler.Binding;

namespace Policyc.Cli.Commands;

/// <summary><c>policyc check FILE…</c>: parse and bind, report every diagnostic, build nothing.</summary>
public static class CheckCommand
{
    public static Command Create()
    {
        var files = PathArguments.Many("FILE", ".rpol files to check", ArgumentArity.OneOrMore);
        var json = new Option<bool>("--json") { Description = "Print diagnostics as JSON on standard output" };
        var command = new Command("check", "Check policies for errors without building them") { files, json };
        command.SetAction(parse =>
        {
            bool asJson = parse.GetValue(json);
            var diagnostics = new List<Compiler.Diagnostics.Diagnostic>();
            foreach (var file in parse.GetValue(files)!)
            {
                var compilation = PolicyCompilation.Load(file);
                diagnostics.AddRange(compilation.Diagnostics);
                if (!compilation.HasErrors)
                    CommandOutput.Status(asJson, $"{file}: ok");
            }
            CommandOutput.WriteDiagnostics(diagnostics.Distinct().ToArray(), asJson);
            return diagnostics.Any(d => d.IsError) ? 1 : 0;
        });
        return command;
    }
}
