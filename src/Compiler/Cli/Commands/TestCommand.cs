using System.CommandLine;
using System.Globalization;
using Policyc.Compiler;
using Policyc.Compiler.Diagnostics;
using Policyc.Compiler.Testing;
using Policyc.Cli.Rendering;

namespace Policyc.Cli.Commands;

/// <summary>
/// <c>policyc test PATH…</c>: runs the test blocks of policies (and NAME.test.rpol files), prints each
/// failure as "expected X, got Y" with the rule that decided it, and optionally coverage of rules and
/// branches with a threshold. Exit 0 when every test passed (and coverage reached the threshold).
/// </summary>
public static class TestCommand
{
    public static Command Create()
    {
        var paths = PathArguments.Many("PATHS", "Policy files, test files or directories (searched recursively)", ArgumentArity.OneOrMore);
        var coverage = new Option<bool>("--coverage") { Description = "Report which rules and branches the tests exercised" };
        var threshold = NumberOptions.Percentage("--threshold", "Fail when coverage (rules and branch outcomes) is below this percentage; implies --coverage");
        var verbose = new Option<bool>("--verbose", "-v") { Description = "List passing tests too" };
        var command = new Command("test", "Run the tests written beside policies") { paths, coverage, threshold, verbose };
        command.SetAction(parse =>
        {
            double? minimum = parse.GetValue(threshold);
            var result = TestRunner.Run(parse.GetRequiredValue(paths));
            var stdout = Console.Out;
            if (result.Diagnostics.Count > 0)
                DiagnosticFormatter.WriteConsole(result.Diagnostics, Console.Error);
            foreach (var test in result.Results)
            {
                if (test.Outcome == TestOutcome.Passed)
                {
                    if (parse.GetValue(verbose))
                        stdout.WriteLine($"PASS {test.Display}");
                    continue;
                }
                stdout.WriteLine($"{(test.Outcome == TestOutcome.Failed ? "FAIL" : "ERROR")} {test.Display}");
                foreach (var failure in test.Failures)
                    stdout.WriteLine("  " + failure.ToString().Replace("\n", "\n  "));
            }
            int errors = result.Diagnostics.Count(d => d.IsError);
            stdout.WriteLine($"{result.Passed} passed, {result.Failed} failed" +
                             (errors > 0 ? $", {errors} error{(errors == 1 ? "" : "s")} in test files" : ""));

            bool coverageFailed = false;
            if (parse.GetValue(coverage) || minimum is not null)
            {
                stdout.WriteLine();
                stdout.Write(CoverageView.Render(result.Coverage));
                double percent = result.CoveragePercent;
                if (minimum is double min && percent < min)
                {
                    stdout.WriteLine($"coverage {Format(percent)}% is below the threshold of {Format(min)}%");
                    coverageFailed = true;
                }
            }
            if (result.Results.Count == 0 && !result.HasErrors)
                throw new CliException("no tests found (write test blocks in a policy or a NAME.test.rpol beside it)");
            return result.HasErrors || result.Failed > 0 || coverageFailed ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }

    static string Format(double percent) => percent.ToString("0.0", CultureInfo.InvariantCulture);
}
