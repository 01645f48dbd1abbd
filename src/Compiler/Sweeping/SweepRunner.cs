using Policyc.Runtime;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Scenarios;

namespace Policyc.Compiler.Sweeping;

/// <summary>
/// Runs cells in parallel, each an independent simulation of a compiled policy, and hands each row
/// to <c>finished</c> as soon as its cell ends (from worker threads). On cancellation it returns the
/// cells that finished. Policies are compiled once,
/// before any cell runs, by the caller's <c>load</c>; scenarios come from <see cref="Scenarios"/>.
/// </summary>
public static class SweepRunner
{
    /// <summary>
    /// Each scenario the cells name, loaded once, with the sweep's settings and duration applied and
    /// checked, so that an impossible one is an error before any cell runs.
    /// </summary>
    public static IReadOnlyDictionary<string, Scenario> Scenarios(IEnumerable<SweepCell> cells, Func<string, Scenario> load, string? duration,
        IReadOnlyList<ScenarioSetting>? settings = null) =>
        cells.Select(c => c.Scenario).Distinct().ToDictionary(s => s, s => Prepared(load(s), duration, settings ?? []));

    public static IReadOnlyList<SweepRow> Run(
        IReadOnlyList<SweepCell> cells,
        Func<string, PolicyTable> load,
        IReadOnlyDictionary<string, Scenario> scenarios,
        int jobs,
        Action<SweepRow> finished,
        CancellationToken cancel = default)
    {
        var tables = cells.Select(c => c.PolicyPath).Distinct().ToDictionary(p => p, load);
        var rows = new SweepRow?[cells.Count];
        try
        {
            Parallel.For(0, cells.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, jobs), CancellationToken = cancel }, i =>
            {
                var cell = cells[i];
                // The cell's seed replaces any a scenario file set, and so does its record: a row's
                // settings and its seed are what a run needs to make the cell again.
                var scenario = scenarios[cell.Scenario];
                var machine = scenario with { Seed = cell.Seed, Settings = scenario.SettingsWithout("seed") };
                var report = Simulation.Run(tables[cell.PolicyPath], machine, new RunOptions(), cancel: cancel);
                // A cell cut short by an interrupt is not a result: it is run again next time.
                if (cancel.IsCancellationRequested)
                    return;
                rows[i] = SweepRow.From(cell, report);
                finished(rows[i]!);
            });
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
        }
        return rows.OfType<SweepRow>().ToArray();
    }

    static Scenario Prepared(Scenario scenario, string? duration, IReadOnlyList<ScenarioSetting> settings)
    {
        try
        {
            foreach (var setting in settings)
                scenario = scenario.WithOverride(setting.Key, setting.Value);
            if (duration is not null)
                scenario = scenario.WithOverride("duration", duration);
            scenario.Validate();
            return scenario;
        }
        catch (ScenarioException e)
        {
            throw new SweepException(e.Message);
        }
    }
}
