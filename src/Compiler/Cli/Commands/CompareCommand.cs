using System.CommandLine;
using Policyc.Cli.Output;
using Policyc.Cli.Reporting;
using Policyc.Cli.Rendering;
using Policyc.Runtime;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Reporting;
using Spectre.Console;

namespace Policyc.Cli.Commands;

/// <summary>
/// <c>policyc compare A.rpol B.rpol …</c>: runs every policy on the same scenario and seed, in parallel
/// across cores (as many as the memory holds), and prints one table with a column per policy; optionally JSON and one plot of them all.
/// </summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var policies = PathArguments.Many("POLICIES", "Two or more .rpol policies", new ArgumentArity(1, 64));
        var interpret = new Option<bool>("--interpret") { Description = "Evaluate the rules with the interpreter instead of compiled code" };
        var jobs = NumberOptions.Count("--jobs", ["-j"], "Policies run at once (default: one per core, as many as the memory holds)", "N", minimum: 1);
        var scenario = new ScenarioOptions();
        var output = new OutputOptions();

        var command = new Command("compare", "Run several policies on one scenario and seed, side by side");
        command.Arguments.Add(policies);
        scenario.AddTo(command);
        command.Options.Add(interpret);
        command.Options.Add(jobs);
        output.AddTo(command);

        command.SetAction(parse =>
        {
            var paths = parse.GetRequiredValue(policies);
            if (paths.Length < 2)
                throw CliException.Usage($"compare needs two or more policies, got one ('{paths[0]}'); to run a single policy use `policyc run {paths[0]}`");
            output.Check(parse, [.. paths, .. scenario.Files(parse)]);
            var machine = scenario.Resolve(parse);
            // Compile one after another (diagnostics stay in order, and Roslyn warms up once); run in parallel.
            // A glob such as policies/fix-*.rpol also matches the NAME.test.rpol files: pass over them, saying so.
            var tables = new List<PolicyTable>();
            foreach (var path in paths)
                if (PolicyLoading.LoadUnlessTests(path, parse.GetValue(interpret)) is { } table)
                    tables.Add(table);
                else
                    Console.Error.WriteLine($"policyc: skipping {path}: it holds tests, not a policy (run them with `policyc test {path}`)");
            if (tables.Count == 0)
                throw new CliException("no policy to compare: every file given holds tests only");
            var labels = Labels(tables.Select(t => t.PolicyName).ToList());
            var stdout = output.ReportConsole(parse);
            stdout.WriteLine(ScenarioSummary.Describe(machine));
            var (slots, note) = RunSlots.For(tables.Count, machine, parse.GetValue(jobs));
            if (note is not null)
                Console.Error.WriteLine(note);

            using var interrupt = new Interrupt();
            var reports = ProgressDisplay.Run(labels, sinks =>
            {
                var results = new RunReport[tables.Count];
                Parallel.For(0, tables.Count, new ParallelOptions { MaxDegreeOfParallelism = slots },
                    i =>
                    {
                        results[i] = Simulation.Run(tables[i], machine, new RunOptions(), sinks[i], interrupt.Token);
                        sinks[i].Finished(results[i]);
                    });
                return results;
            });

            var unprinted = CommandOutput.TryPrint(() =>
            {
                stdout.WriteLine();
                stdout.Write(CompareView.Render(reports));
            });
            WriteFiles(output, parse, machine.Name, machine.Seed, reports);
            if (unprinted is not null)
                throw unprinted;

            if (interrupt.Requested)
                return ExitCodes.Interrupted;
            return reports.Any(r => r.Verdict == "policy-error") ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The same policy given twice still gets two distinguishable progress lines.</summary>
    static IReadOnlyList<string> Labels(IReadOnlyList<string> names) =>
        names.Select((name, i) => names.Count(n => n == name) > 1 ? $"{name} #{i + 1}" : name).ToList();

    static void WriteFiles(OutputOptions output, ParseResult parse, string scenario, ulong seed, IReadOnlyList<RunReport> reports)
    {
        if (output.JsonPath(parse) is { } json)
            ReportFiles.WriteJson(json, new CompareReport { Scenario = scenario, Seed = seed, Runs = reports });
        if (output.PlotPath(parse) is { } plot)
            ReportFiles.WritePlot(plot, reports);
    }
}
