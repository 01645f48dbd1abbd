using System.CommandLine;
using Policyc.Benchmarks;
using Policyc.Benchmarks.Processes;

// Entry point: `measure` (the default) runs the benchmarks and writes bench.json; `simulate` is the
// simulation alone as a process, for checkouts without `policyc run`.
var quick = new Option<bool>("--quick") { Description = "Smoke run: a few hooks, one build of each kind, the small scenario; no targets" };
var repository = new Option<string>("--repo") { Description = "The checkout to measure", DefaultValueFactory = _ => "." };
var output = new Option<string>("--out") { Description = "Where to write bench.json", DefaultValueFactory = _ => "bench.json" };
var only = new Option<string[]>("--only") { Description = "Measure only these: hooks, build, seed", AllowMultipleArgumentsPerToken = true };
var scenario = new Option<string?>("--scenario") { Description = "Built-in scenario for the simulation (default: seed; small with --quick)" };
var policy = new Option<string>("--policy") { Description = "The policy, relative to the checkout", DefaultValueFactory = _ => "policies/linux-3.13.rpol" };

var root = new RootCommand("Measures policyc: hook call cost, build time, simulation time and memory; writes bench.json")
{
    quick, repository, output, only, scenario, policy,
};
root.SetAction(parse => Measure.Run(new Measure.Settings(
    Quick: parse.GetValue(quick),
    Repository: Path.GetFullPath(parse.GetValue(repository)!),
    Output: Path.GetFullPath(parse.GetValue(output)!),
    Only: parse.GetValue(only) ?? [],
    Scenario: parse.GetValue(scenario),
    Policy: parse.GetValue(policy)!)));

var simPolicy = new Argument<string>("POLICY");
var simScenario = new Option<string>("--scenario") { DefaultValueFactory = _ => "seed" };
var simSet = new Option<string[]>("--set") { AllowMultipleArgumentsPerToken = false };
var simJson = new Option<string>("--json") { Required = true };
var simulate = new Command("simulate", "Run one simulation and write its JSON report (no console views)")
{
    simPolicy, simScenario, simSet, simJson,
};
simulate.SetAction(parse => SimulateCommand.Run(parse.GetRequiredValue(simPolicy), parse.GetValue(simScenario)!,
    parse.GetValue(simSet) ?? [], parse.GetRequiredValue(simJson)));
root.Subcommands.Add(simulate);

var profilePolicy = new Argument<string>("POLICY");
var profileBuild = new Command("profile-build", "Time the phases of a cold build in this process (wall, JIT time, methods jitted)") { profilePolicy };
profileBuild.SetAction(parse => Policyc.Benchmarks.Profiling.BuildPhases.Run(parse.GetRequiredValue(profilePolicy), Console.Out));
root.Subcommands.Add(profileBuild);

return root.Parse(args).Invoke();
