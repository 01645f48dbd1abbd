using System.Text.Json;
using Policyc.Compiler;
using Policyc.Runtime;
using Policyc.Runtime.Reporting;
using Policyc.Runtime.Scenarios;

namespace Policyc.Benchmarks.Processes;

/// <summary>
/// <c>Policyc.Benchmarks simulate POLICY --scenario NAME [--set KEY=VALUE]… --json FILE</c>: the
/// simulation alone, for checkouts whose <c>policyc</c> has no <c>run</c> command yet. It loads the
/// policy and runs the machine exactly as <c>policyc run</c> does, without the console views.
/// </summary>
public static class SimulateCommand
{
    public static int Run(string policy, string scenarioName, IReadOnlyList<string> sets, string json)
    {
        var scenario = BuiltinScenarios.Get(scenarioName);
        foreach (var assignment in sets)
        {
            int equals = assignment.IndexOf('=');
            scenario = scenario.WithOverride(assignment[..equals], assignment[(equals + 1)..]);
        }
        var load = PolicyLoader.Load(policy, new PolicyLoadOptions());
        if (load.Table is null)
        {
            Console.Error.WriteLine($"{policy} does not build");
            return 1;
        }
        var report = Simulation.Run(load.Table, scenario, new RunOptions());
        using var stream = File.Create(json);
        JsonSerializer.Serialize(stream, report, RunReportJson.Default.RunReport);
        return 0;
    }
}
