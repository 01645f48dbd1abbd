using System.CommandLine;
using Policyc.Runtime.Scenarios;
using Policyc.Runtime.Text;

namespace Policyc.Cli.Commands;

/// <summary>
/// The flags that choose and adjust the scenario, shared by <c>run</c> and <c>compare</c>:
/// <c>--scenario NAME|FILE</c>, one flag per common field (<c>--mem 4G</c>), and <c>--set KEY=VALUE</c>
/// for any other field. Values are parsed by the runtime, which owns the scenario's fields and units.
/// </summary>
public sealed class ScenarioOptions
{
    public const string DefaultScenario = "seed";

    readonly Option<string> scenario = new("--scenario", "-s")
    {
        Description = $"Built-in scenario ({string.Join(", ", BuiltinScenarios.Names)}) or a .json/.toml scenario file",
        HelpName = "NAME|FILE",
        DefaultValueFactory = _ => DefaultScenario,
    };

    // Flag → runtime field key, in the order overrides are applied.
    readonly (Option<string> Option, string Key)[] fields =
    [
        (Field("--mem", "SIZE", "RAM, e.g. 16G or 4G"), "mem"),
        (Field("--swap", "SIZE", "Usable swap (SwapTotal, as free shows it), e.g. 128M"), "swap"),
        (Field("--cpus", "N", "CPUs"), "cpus"),
        (Field("--nodes", "N", "NUMA nodes, equal shares of RAM (default 1)"), "nodes"),
        (Field("--workers", "N", "Concurrent rm -rf workers"), "workers"),
        (Field("--files", "N", "Files in the tree, e.g. 2M"), "files"),
        (Field("--dir-block", "SIZE", "XFS directory block size, e.g. 64k"), "dir-block"),
        (Field("--drop-caches-at", "TIME", "When the operator runs echo 2 > drop_caches, e.g. 3600s, or none"), "drop-caches-at"),
        (Field("--duration", "TIME", "Virtual time the workload may run, e.g. 2h"), "duration"),
        (Field("--seed", "N", "Random seed"), "seed"),
    ];

    readonly Option<string[]> set = new("--set")
    {
        Description = "Set any scenario field, e.g. --set swappiness=0 (repeatable; docs/runtime.md lists the fields)",
        HelpName = "KEY=VALUE",
        AllowMultipleArgumentsPerToken = false,
    };

    static Option<string> Field(string name, string helpName, string description) =>
        new(name) { Description = description, HelpName = helpName };

    public void AddTo(Command command)
    {
        command.Options.Add(scenario);
        foreach (var (option, _) in fields)
            command.Options.Add(option);
        command.Options.Add(set);
    }

    /// <summary>The scenario file the command line names, as a list of the files it reads (empty for a built-in).</summary>
    public IReadOnlyList<string> Files(ParseResult parse) =>
        parse.GetValue(scenario) is { } name && ScenarioReader.IsScenarioFile(name) ? [name] : [];

    /// <summary>Whether the command line gives any scenario flag (a bundle replay takes none).</summary>
    public bool AnyGiven(ParseResult parse) =>
        parse.GetResult(scenario) is { Implicit: false } || parse.GetResult(set) is not null
        || fields.Any(f => parse.GetResult(f.Option) is not null);

    /// <summary>
    /// The scenario the flags describe. A value that does not parse is a usage error (exit 2); a scenario
    /// that parses but cannot exist (more workers than files, swap larger than a device can be) exits 1.
    /// </summary>
    public Scenario Resolve(ParseResult parse)
    {
        var result = Load(parse.GetValue(scenario) ?? DefaultScenario);

        var overrides = new List<(string Key, string Value)>();
        foreach (var (option, key) in fields)
            if (parse.GetValue(option) is { } value)
                overrides.Add((key, value));
        foreach (var assignment in parse.GetValue(set) ?? [])
            overrides.Add(ScenarioOverrides.SplitAssignment(assignment)
                          ?? throw CliException.Usage($"--set {assignment}: expected KEY=VALUE"));

        return WithOverrides(result, overrides);
    }

    /// <summary>
    /// The scenario with fields set from the command line, checked: a value that does not parse is a
    /// usage error (exit 2), a scenario that cannot exist exits 1. Shared by every command that runs one.
    /// </summary>
    public static Scenario WithOverrides(Scenario scenario, IEnumerable<(string Key, string Value)> overrides)
    {
        foreach (var (key, value) in overrides)
        {
            try
            {
                scenario = scenario.WithOverride(key, value);
            }
            catch (ScenarioException e)
            {
                throw CliException.Usage(e.Message);   // the runtime names the field and the expected form
            }
        }

        try
        {
            scenario.Validate();
        }
        catch (ScenarioException e)
        {
            throw new CliException(e.Message);
        }
        return scenario;
    }

    /// <summary>A built-in scenario by name, or a scenario file; errors as CLI errors, naming <paramref name="flag"/>.</summary>
    public static Scenario Load(string nameOrFile, string flag = "--scenario")
    {
        if (BuiltinScenarios.Names.Contains(nameOrFile, StringComparer.OrdinalIgnoreCase))
            return BuiltinScenarios.Get(nameOrFile);
        if (!ScenarioReader.IsScenarioFile(nameOrFile))
            throw CliException.Usage($"{flag} {nameOrFile}: not a built-in scenario ({string.Join(", ", BuiltinScenarios.Names)}) nor a .json or .toml file"
                + Spelling.DidYouMean(nameOrFile, BuiltinScenarios.Names));
        if (!File.Exists(nameOrFile))
            throw new CliException($"{nameOrFile}: no such scenario file");
        try
        {
            return ScenarioReader.Load(nameOrFile);
        }
        catch (ScenarioException e)
        {
            throw new CliException(e.Message);
        }
    }
}
