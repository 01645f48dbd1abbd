using System.CommandLine;
using Policyc.Cli.Output;
using Policyc.Cli.Reporting;
using Policyc.Cli.Rendering;
using Policyc.Runtime;
using Policyc.Runtime.Reporting;
using Spectre.Console;

namespace Policyc.Cli.Commands;

/// <summary>
/// <c>policyc run POLICY</c>: simulates one policy on one scenario and prints what a kernel developer
/// looks at (free, slabtop, perf, dmesg, kswapd, progress, verdict); optionally JSON and a plot.
/// </summary>
public static class RunCommand
{
    public static Command Create()
    {
        var policy = PathArguments.One("POLICY", "The .rpol policy to run, or a bundle to replay (policyc bundle)");
        var interpret = new Option<bool>("--interpret") { Description = "Evaluate the rules with the interpreter instead of compiled code" };
        var checkInvariants = new Option<bool>("--check-invariants")
        {
            Description = "Check the machine's invariants (page states, slab and swap accounting) as it runs; slower",
        };
        var explain = new Option<bool>("--explain") { Description = "Also follow the stuck allocation through the rules asked for it, show what each rule answered during the livelock (or the run), and list every rule with where it is written and its kernel site" };
        var scenario = new ScenarioOptions();
        var output = new OutputOptions();

        var command = new Command("run", "Simulate a policy on a scenario (default: seed, the 2014 XFS rm -rf livelock)");
        command.Arguments.Add(policy);
        scenario.AddTo(command);
        command.Options.Add(interpret);
        command.Options.Add(checkInvariants);
        output.AddTo(command);
        command.Options.Add(explain);

        command.SetAction(parse =>
        {
            output.Check(parse, [parse.GetRequiredValue(policy), .. scenario.Files(parse)]);
            // A bundle carries its policy, bases, scenario and seed, and the result the run must give.
            using var replay = BundleReplay.Open(parse.GetRequiredValue(policy));
            if (replay is not null && scenario.AnyGiven(parse))
                throw CliException.Usage("a bundle carries its scenario and seed; drop the scenario flags");
            var machine = replay?.Scenario ?? scenario.Resolve(parse);
            var table = PolicyLoading.Load(replay?.PolicyPath ?? parse.GetRequiredValue(policy), parse.GetValue(interpret));
            // --explain records every answer the rules give, to show which rule decided what while stuck.
            var trace = parse.GetValue(explain) ? new DecisionTrace() : null;
            var simulated = trace?.Wrap(table) ?? table;
            var stdout = output.ReportConsole(parse);
            stdout.WriteLine(ScenarioSummary.Describe(machine));

            using var interrupt = new Interrupt();
            var options = new RunOptions { CheckInvariants = parse.GetValue(checkInvariants) };
            var report = ProgressDisplay.Run([table.PolicyName], sinks =>
            {
                var result = Simulation.Run(simulated, machine, options, sinks[0], interrupt.Token);
                sinks[0].Finished(result);
                return result;
            });

            var unprinted = CommandOutput.TryPrint(() =>
            {
                stdout.WriteLine();
                RunReportView.Write(stdout, report);
                if (parse.GetValue(explain))
                {
                    if (StuckAllocationView.Render(trace!, report) is { } stuck)
                    {
                        stdout.WriteLine();
                        stdout.Write(stuck);
                    }
                    stdout.WriteLine();
                    stdout.Write(DecisionsView.Render(trace!, report));
                    stdout.WriteLine();
                    stdout.Write(ExplainView.Render(table));
                }
            });
            WriteFiles(output, parse, report);
            if (unprinted is not null)
                throw unprinted;

            if (interrupt.Requested)
                return ExitCodes.Interrupted;
            if (replay is not null)
            {
                var (text, reproduced) = replay.Check(report);
                stdout.WriteLine();
                stdout.WriteLine(text);
                if (!reproduced)
                    return ExitCodes.Failure;
            }
            return report.Verdict == "policy-error" ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }

    static void WriteFiles(OutputOptions output, ParseResult parse, RunReport report)
    {
        if (output.JsonPath(parse) is { } json)
            ReportFiles.WriteJson(json, report);
        if (output.PlotPath(parse) is { } plot)
            ReportFiles.WritePlot(plot, report);
    }
}
