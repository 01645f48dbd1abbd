using System.CommandLine;
using System.Globalization;
using Policyc.Cli.Output;
using Policyc.Cli.Rendering;
using Policyc.Compiler.Bundling;
using Policyc.Runtime;
using Policyc.Runtime.Scenarios;

namespace Policyc.Cli.Commands;

/// <summary>
/// <c>policyc bundle POLICY</c>: runs the policy once and writes one pasteable text file with the
/// policy, its bases, the scenario, the seed and the headline metrics; <c>policyc run FILE</c> replays
/// it and checks that it gives the same result.
/// </summary>
public static class BundleCommand
{
    public static Command Create()
    {
        var policy = PathArguments.One("POLICY", "The .rpol policy to bundle");
        var scenario = new Option<string>("--scenario", "-s")
        {
            Description = "Built-in scenario or a .json/.toml scenario file (default small)",
            HelpName = "NAME|FILE",
            DefaultValueFactory = _ => "small",
        };
        var seed = NumberOptions.Seed("Random seed (default: the scenario's)");
        var duration = new Option<string?>("--duration") { Description = "Virtual time of the run, e.g. 120s (default: the scenario's)", HelpName = "TIME" };
        var output = new Option<string?>("--out", "-o") { Description = "The bundle file (default POLICY-SCENARIO-SEED.bundle)", HelpName = "FILE" };
        var command = new Command("bundle", "Write a policy, its bases, a scenario and the result they give as one text file to share")
        {
            policy, scenario, seed, duration, output,
        };
        command.SetAction(parse =>
        {
            string policyPath = parse.GetRequiredValue(policy);
            string scenarioName = parse.GetValue(scenario)!;
            var machine = ScenarioOptions.Load(scenarioName);
            ulong runSeed = parse.GetValue(seed) ?? machine.Seed;
            string? runDuration = parse.GetValue(duration);
            var overrides = new List<(string, string)> { ("seed", runSeed.ToString(CultureInfo.InvariantCulture)) };
            if (runDuration is not null)
                overrides.Add(("duration", runDuration));
            machine = ScenarioOptions.WithOverrides(machine, overrides);

            string outPath = parse.GetValue(output) ?? $"{Path.GetFileNameWithoutExtension(policyPath)}-{machine.Name}-{runSeed}.bundle";
            OutputPath.CheckFile("--out", outPath, ScenarioReader.IsScenarioFile(scenarioName) ? [policyPath, scenarioName] : [policyPath]);
            var table = PolicyLoading.Load(policyPath, interpret: false);
            var files = Guard(() => BundleFiles.Collect(policyPath)).ToList();
            string root = Path.GetDirectoryName(Path.GetFullPath(policyPath)) ?? ".";
            string scenarioRef = scenarioName;
            if (ScenarioReader.IsScenarioFile(scenarioName))
            {
                scenarioRef = BundleFiles.Relative(root, scenarioName);
                string scenarioText = InputText.Read(scenarioName, "the scenario file", out string? unreadable) ?? throw new CliException(unreadable!);
                files.Add(new BundleFile(scenarioRef, scenarioText));
            }

            using var interrupt = new Interrupt();
            var report = ProgressDisplay.Run([table.PolicyName], sinks =>
            {
                var result = Simulation.Run(table, machine, new RunOptions(), sinks[0], interrupt.Token);
                sinks[0].Finished(result);
                return result;
            });
            if (interrupt.Requested)
            {
                Console.Error.WriteLine("policyc: interrupted; no bundle written (its result would not be the whole run's)");
                return ExitCodes.Interrupted;
            }

            var bundle = new Bundle(files[0].Path, scenarioRef, runSeed, runDuration, Headline.Of(report), files);
            string text = Guard(bundle.ToText);
            AtomicFile.WriteAllText(outPath, text);
            Console.Error.WriteLine($"policyc: wrote {outPath} ({files.Count} files, verdict {report.Verdict}); replay it with: policyc run {outPath}");
            return ExitCodes.Ok;
        });
        return command;
    }

    static T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (BundleException e)
        {
            throw new CliException(e.Message);
        }
    }
}
