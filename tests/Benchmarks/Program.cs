using System.CommandLine;
using Policyc.Benchmarks;

// Entry point: the root command runs the benchmarks and writes bench.json; `profile-build` breaks a
// cold build down by phase.
var quick = new Option<bool>("--quick") { Description = "Smoke run: a few hooks, one build of each kind, the small scenario; no targets" };
var repository = new Option<string>("--repo") { Description = "The checkout to measure", DefaultValueFactory = _ => "." };
var output = new Option<string>("--out") { Description = "Where to write bench.json", DefaultValueFactory = _ => "bench.json" };
var only = new Option<string[]>("--only") { Description = "Measure only these: hooks, build, seed", AllowMultipleArgumentsPerToken = true };
var scenario = new Option<string?>("--scenario") { Description = "Built-in scenario for the simulation (default: seed; small with --quick)" };
var policyc = new Option<string?>("--policyc") { Description = "The policyc to time: a launcher script or a built policyc.dll (default: the checkout's ./policyc)" };
var policy = new Option<string>("--policy") { Description = "The policy, relative to the checkout", DefaultValueFactory = _ => "policies/linux-3.13.rpol" };

var root = new RootCommand("Measures policyc: hook call cost, build time, simulation time and memory; writes bench.json")
{
    quick, repository, output, only, scenario, policy, policyc,
};
root.SetAction(parse => Measure.Run(new Measure.Settings(
    Quick: parse.GetValue(quick),
    Repository: Path.GetFullPath(parse.GetValue(repository)!),
    Output: Path.GetFullPath(parse.GetValue(output)!),
    Only: parse.GetValue(only) ?? [],
    Scenario: parse.GetValue(scenario),
    Policy: parse.GetValue(policy)!,
    Policyc: parse.GetValue(policyc))));


var profilePolicy = new Argument<string>("POLICY");
var profileBuild = new Command("profile-build", "Time the phases of a cold build in this process (wall, JIT time, methods jitted)") { profilePolicy };
profileBuild.SetAction(parse => Policyc.Benchmarks.Profiling.BuildPhases.Run(parse.GetRequiredValue(profilePolicy), Console.Out));
root.Subcommands.Add(profileBuild);

return root.Parse(args).Invoke();
