using System.CommandLine;
using Policyc.Cli.Rendering;
using Policyc.Compiler.Binding;
using Policyc.Compiler.Diagnostics;
using Policyc.Compiler.Diffing;
using Policyc.Runtime;
using Policyc.Runtime.Reporting;
using Spectre.Console;

namespace Policyc.Cli.Commands;

/// <summary>
/// <c>policyc diff A.rpol B.rpol</c>: what B changes relative to A. The rules written differently,
/// then where on a grid of kernel situations the two decide differently, grouped and counted; with
/// <c>--run SCENARIO</c> also both runs on the same seed, where they first diverge and their metrics.
/// </summary>
public static class DiffCommand
{
    public static Command Create()
    {
        var before = PathArguments.One("A", "The policy before the change (for example policies/linux-3.13.rpol)");
        var after = PathArguments.One("B", "The policy after the change");
        var run = new Option<string?>("--run") { Description = "Also run both on this scenario (built-in name or .json/.toml file) and compare the runs", HelpName = "SCENARIO" };
        var seed = new Option<string?>("--seed") { Description = "Seed for --run (default: the scenario's)", HelpName = "N" };
        var duration = new Option<string?>("--duration") { Description = "Virtual time for --run, e.g. 120s", HelpName = "TIME" };
        var interpret = new Option<bool>("--interpret") { Description = "Run --run with the interpreter instead of compiled code" };
        var command = new Command("diff", "Show what one policy decides differently from another") { before, after, run, seed, duration, interpret };
        command.SetAction(parse =>
        {
            string a = parse.GetRequiredValue(before), b = parse.GetRequiredValue(after);
            var policyA = Bind(a);
            var policyB = Bind(b);
            // The scenario is checked before anything is printed, so a bad --run ends with its error alone.
            var scenario = parse.GetValue(run) is { } scenarioName
                ? ScenarioOptions.WithOverrides(ScenarioOptions.Load(scenarioName, "--run"), Overrides(parse.GetValue(seed), parse.GetValue(duration)))
                : null;
            var result = PolicyDiff.Compare(policyA, policyB);
            Console.Out.Write(DiffView.Render(result));

            if (scenario is null)
                return ExitCodes.Ok;
            bool interpreted = parse.GetValue(interpret);
            var tables = new[] { PolicyLoading.Load(a, interpreted), PolicyLoading.Load(b, interpreted) };
            using var interrupt = new Interrupt();
            var labels = tables.Select((t, i) => tables[0].PolicyName == tables[1].PolicyName ? $"{t.PolicyName} #{i + 1}" : t.PolicyName).ToList();
            var reports = ProgressDisplay.Run(labels, sinks =>
            {
                var results = new RunReport[2];
                Parallel.For(0, 2, i => results[i] = Simulation.Run(tables[i], scenario, new RunOptions(), sinks[i], interrupt.Token));
                return results;
            });
            Console.Out.WriteLine();
            Console.Out.Write(DiffView.RenderRuns(scenario, reports[0], reports[1], RunDivergence.Find(reports[0], reports[1])));
            var stdout = Consoles.Stdout();
            stdout.Write(CompareView.Render(reports));
            stdout.WriteLine();
            if (interrupt.Requested)
                return ExitCodes.Interrupted;
            return reports.Any(r => r.Verdict == "policy-error") ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }

    static IEnumerable<(string Key, string Value)> Overrides(string? seed, string? duration)
    {
        if (seed is not null)
            yield return ("seed", seed);
        if (duration is not null)
            yield return ("duration", duration);
    }

    static BoundPolicy Bind(string path)
    {
        PolicyLoading.RequireFile(path);
        var compilation = PolicyCompilation.Load(path);
        if (compilation.HoldsOnlyTests)
            throw new CliException(PolicyLoading.TestsOnly(path));
        if (compilation.Diagnostics.Count > 0)
            DiagnosticFormatter.WriteConsole(compilation.Diagnostics, Console.Error);
        return compilation.Policy ?? throw new CliException($"{path}: the policy has errors; nothing was compared");
    }
}
