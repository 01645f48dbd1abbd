using Policyc.Runtime.Scenarios;
using System.Globalization;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Policyc.Compiler.Sweeping;

/// <summary>
/// Reads a sweep file (TOML): <c>name</c>, <c>policies</c> (paths or directories, relative to the
/// file), <c>scenarios</c>, <c>seeds</c> (integers, or one string of ranges "1-3") and an optional
/// <c>duration</c>. Errors name the file, line and column.
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
        foreach (var kv in document.KeyValues)
        {
            string at = $"{path}({kv.Span.Start.Line + 1},{kv.Span.Start.Column + 1})";
            string key = kv.Key!.ToString().Trim().Trim('"');
            switch (key)
            {
                case "name":
                    name = String(kv.Value, at, key);
                    break;
                case "policies":
                    policies.AddRange(Strings(kv.Value, at, key).Select(p => RelativeToCurrent(Path.Combine(directory, p))));
                    break;
                case "scenarios":
                    // A scenario file is relative to the sweep file; a built-in name stays a name.
                    scenarios.AddRange(Strings(kv.Value, at, key).Select(s =>
                        s.EndsWith(".toml", StringComparison.OrdinalIgnoreCase) || s.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                            ? RelativeToCurrent(Path.Combine(directory, s)) : s));
                    break;
                case "seeds":
                    seeds = kv.Value is StringValueSyntax s ? SweepSpec.ParseSeeds(s.Value!) : Integers(kv.Value, at, key);
                    break;
                case "duration":
                    duration = String(kv.Value, at, key);
                    break;
                default:
                    throw new SweepException($"{at}: unknown key '{key}' (name, policies, scenarios, seeds, duration)");
            }
        }
        if (policies.Count == 0)
            throw new SweepException($"{path}: 'policies' lists no policy");
        if (scenarios.Count == 0)
            scenarios.Add("small");
        return new SweepSpec(name, policies, scenarios, seeds, duration);
    }

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
