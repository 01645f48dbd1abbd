using Policyc.Runtime.Scenarios;
using System.Globalization;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Policyc.Compiler.Sweeping;

/// <summary>
/// Reads a sweep file (TOML): <c>name</c>, <c>policies</c> (paths or directories, relative to the
/// file), <c>scenarios</c>, <c>seeds</c> (integers, or one string of ranges "1-3"), and optional
/// <c>settings</c> ("key=value" strings set on every scenario) and <c>duration</c>. Errors name the
/// file, line and column.
/// </summary>
public static class SweepFile
{
    public static SweepSpec Load(string path)
    {
        string text = InputText.Read(path, "the sweep file", out string? unreadable) ?? throw new SweepException(unreadable!);
        var document = FlatToml.Parse(path, text, "a sweep file", out string? error) ?? throw new SweepException(error!);
        string directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        string name = Path.GetFileNameWithoutExtension(path);
        List<string> policies = [], scenarios = [];
        IReadOnlyList<ulong> seeds = [1];
        string? duration = null;
        var settings = new List<ScenarioSetting>();
        // Paths are checked once every key has been read, so a misspelt key is reported first.
        var paths = new List<(string Path, string At, bool Policy)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var kv in document.KeyValues)
        {
            string at = $"{path}({kv.Span.Start.Line + 1},{kv.Span.Start.Column + 1})";
            string key = kv.Key!.ToString().Trim().Trim('"');
            if (!seen.TryAdd(key, kv.Span.Start.Line + 1))
                throw new SweepException($"{at}: '{key}' is given twice (first at line {seen[key]})");
            switch (key)
            {
                case "name":
                    name = String(kv.Value, at, key);
                    if (SweepSpec.NameProblem(name) is { } problem)
                        throw new SweepException($"{at}: name: {problem}");
                    break;
                case "policies":
                    foreach (var policy in Strings(kv.Value, at, key).Select(p => RelativeToCurrent(Path.Combine(directory, p))))
                    {
                        policies.Add(policy);
                        paths.Add((policy, at, true));
                    }
                    break;
                case "scenarios":
                    // A scenario file is relative to the sweep file; a built-in name stays a name.
                    foreach (var scenario in Strings(kv.Value, at, key))
                    {
                        bool isFile = ScenarioReader.IsScenarioFile(scenario);
                        scenarios.Add(isFile ? RelativeToCurrent(Path.Combine(directory, scenario)) : scenario);
                        if (isFile)
                            paths.Add((scenarios[^1], at, false));
                        else if (!BuiltinScenarios.Names.Contains(scenario, StringComparer.OrdinalIgnoreCase))
                            throw new SweepException($"{at}: scenario '{scenario}' is neither a built-in scenario ({string.Join(", ", BuiltinScenarios.Names)}) nor a .toml or .json file");
                    }
                    break;
                case "seeds":
                    seeds = kv.Value is StringValueSyntax s ? At(at, () => SweepSpec.ParseSeeds(s.Value!)) : Integers(kv.Value, at, key);
                    break;
                case "settings":
                    foreach (var written in Strings(kv.Value, at, key))
                    {
                        var setting = At(at, () => SweepSpec.CheckSetting(SweepSpec.ParseSetting(written)));
                        // As in a scenario file, a field set twice is a mistake, not a choice of the last.
                        if (settings.Any(other => ScenarioOverrides.NormalizeKey(other.Key) == ScenarioOverrides.NormalizeKey(setting.Key)))
                            throw new SweepException($"{at}: settings: '{setting.Key}' is given twice");
                        settings.Add(setting);
                    }
                    break;
                case "duration":
                    duration = String(kv.Value, at, key);
                    if (!Units.TryParseDuration(duration, out long ns) || ns <= 0)
                        throw new SweepException($"{at}: duration '{duration}' is not a positive duration (like 600s, 2h)");
                    break;
                default:
                    throw new SweepException($"{at}: unknown key '{key}' (name, policies, scenarios, seeds, settings, duration)");
            }
        }
        foreach (var (file, at, policy) in paths)
        {
            if (policy ? !File.Exists(file) && !Directory.Exists(file) : !File.Exists(file))
                throw new SweepException($"{at}: {file}: no such {(policy ? "policy file or directory" : "scenario file")}");
        }
        if (policies.Count == 0)
            throw new SweepException($"{path}: 'policies' lists no policy");
        if (scenarios.Count == 0)
            scenarios.Add("small");
        return new SweepSpec(name, policies, scenarios, seeds, duration, settings);
    }

    /// <summary>A value's own error (a bad seed range), placed at the key that holds it.</summary>
    static T At<T>(string at, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (SweepException e)
        {
            throw new SweepException($"{at}: {e.Message}");
        }
    }

    /// <summary>
    /// Relative even outside the working directory (<c>../policies/x.rpol</c>), unlike
    /// <see cref="Text.Paths.Display"/>: the path keys the sweep's rows, and shards run in other
    /// checkouts must key the same cell the same way.
    /// </summary>
    static string RelativeToCurrent(string path) =>
        Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.GetFullPath(path)).Replace('\\', '/');

    static string String(ValueSyntax? value, string at, string key) =>
        value is StringValueSyntax s ? s.Value! : throw new SweepException($"{at}: '{key}' needs a string");

    static IReadOnlyList<string> Strings(ValueSyntax? value, string at, string key)
    {
        if (value is StringValueSyntax one)
            return [one.Value!];
        if (value is not ArraySyntax array)
            throw new SweepException($"{at}: '{key}' needs a list of strings");
        return array.Items.Select(i => i.Value is StringValueSyntax s ? s.Value! : throw new SweepException($"{at}: '{key}' needs a list of strings")).ToArray();
    }

    static IReadOnlyList<ulong> Integers(ValueSyntax? value, string at, string key)
    {
        if (value is not ArraySyntax array)
            throw new SweepException($"{at}: '{key}' needs a list of integers or a string like \"1-3\"");
        return array.Items.Select(i => i.Value is IntegerValueSyntax n && n.Value >= 0
            ? (ulong)n.Value
            : throw new SweepException($"{at}: '{key}' needs non-negative integers")).ToArray();
    }
}
