using Policyc.Runtime.Scenarios;

namespace Policyc.Compiler.Sweeping;

/// <summary>
/// What a sweep runs: every policy on every scenario with every seed. Policies are .rpol files (a
/// directory means every policy in it, tests excluded); scenarios are built-in names or scenario
/// files. <see cref="Settings"/> are scenario fields set on every scenario, in order, after a
/// scenario file's own (as <c>--set</c> does for one run); <see cref="Duration"/>, when set, then
/// overrides every scenario's (as <c>--duration</c> does).
/// </summary>
public sealed record SweepSpec(
    string Name,
    IReadOnlyList<string> Policies,
    IReadOnlyList<string> Scenarios,
    IReadOnlyList<ulong> Seeds,
    string? Duration = null,
    IReadOnlyList<ScenarioSetting>? Settings = null)
{
    /// <summary>
    /// Why a sweep's name cannot be used, or null. The name is the default output file's
    /// (<c>NAME.jsonl</c>, in the current directory), so it must be a file name: <c>--name /</c>
    /// would write <c>/.jsonl</c>.
    /// </summary>
    public static string? NameProblem(string name) =>
        name.Length == 0 ? "a sweep needs a name"
        : name is "." or ".." || name.IndexOfAny(['/', '\\']) >= 0 ? $"'{name}' is not a file name (the default output is NAME.jsonl)"
        : name.Any(char.IsControl) ? "the name holds a control character"
        : System.Text.Encoding.UTF8.GetByteCount(name + ".jsonl") > 255 ? "the name is longer than a file name may be"
        : null;

    /// <summary>"KEY=VALUE" as <c>--set</c> and a sweep file's <c>settings</c> write it.</summary>
    public static ScenarioSetting ParseSetting(string text) =>
        ScenarioOverrides.SplitAssignment(text) is var (key, value)
            ? new ScenarioSetting(key, value)
            : throw new SweepException($"'{text}' is not a setting: expected KEY=VALUE, e.g. nodes=4");

    /// <summary>
    /// Whether the key names a scenario field and the value parses for it; whether the scenario it
    /// makes can exist is checked per scenario, before the first cell (<see cref="SweepRunner.Scenarios"/>).
    /// </summary>
    public static ScenarioSetting CheckSetting(ScenarioSetting setting)
    {
        try
        {
            BuiltinScenarios.Small.WithOverride(setting.Key, setting.Value);
            return setting;
        }
        catch (ScenarioException e)
        {
            throw new SweepException(e.Message);
        }
    }

    /// <summary>Seeds written as a list and ranges: "1,2,5-8".</summary>
    public static IReadOnlyList<ulong> ParseSeeds(string text)
    {
        var seeds = new List<ulong>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int dash = part.IndexOf('-');
            if (dash > 0 && ulong.TryParse(part[..dash], out ulong from) && ulong.TryParse(part[(dash + 1)..], out ulong to) && from <= to && to - from < 100_000)
            {
                for (ulong s = from; s <= to; s++)
                    seeds.Add(s);
            }
            else if (ulong.TryParse(part, out ulong seed))
                seeds.Add(seed);
            else if (dash > 0 && ulong.TryParse(part[..dash], out ulong high) && ulong.TryParse(part[(dash + 1)..], out ulong low) && high > low)
                throw new SweepException($"seeds '{text}': the range '{part}' goes down; write {low}-{high}");
            else if (dash > 0 && ulong.TryParse(part[..dash], out _) && ulong.TryParse(part[(dash + 1)..], out _))
                throw new SweepException($"seeds '{text}': the range '{part}' holds more than 100000 seeds");
            else
                throw new SweepException($"seeds '{text}': '{part}' is not a seed or a range like 1-3");
        }
        if (seeds.Count == 0)
            throw new SweepException($"seeds '{text}': no seed given");
        return seeds.Distinct().ToArray();
    }
}

/// <summary>One scenario field set by a sweep: its key, as a scenario file spells it, and the value's text.</summary>
public sealed record ScenarioSetting(string Key, string Value);

/// <summary>A sweep that cannot be planned or run as asked: the message names what is wrong.</summary>
public sealed class SweepException(string message) : Exception(message);
