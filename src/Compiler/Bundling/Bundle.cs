using System.Text;
using Policyc.Runtime.Scenarios;

namespace Policyc.Compiler.Bundling;

/// <summary>
/// A file carried by a bundle, by its path relative to the bundled policy's directory;
/// <paramref name="FirstLine"/> is the bundle's line where its text starts (0 for a file about to be bundled).
/// </summary>
public sealed record BundleFile(string Path, string Text, int FirstLine = 0);

/// <summary>
/// One pasteable text file holding everything needed to replay a run: the policy and its bases, the
/// scenario (a built-in name, or the scenario file itself), the seed and duration, and the headline
/// metrics the run produced. The format is plain text so it survives mail, chat and issue trackers:
/// <code>
/// # policyc bundle 1: …
/// policy: fix.rpol
/// scenario: small
/// seed: 3
/// expect verdict: completed
/// --- fix.rpol
/// policy fix extends linux-3.13 { … }
/// --- linux-3.13.rpol
/// …
/// </code>
/// </summary>
public sealed record Bundle(
    string Policy,
    string Scenario,
    ulong Seed,
    string? Duration,
    IReadOnlyList<(string Name, string Value)> Expected,
    IReadOnlyList<BundleFile> Files)
{
    public const string Magic = "# policyc bundle 1";
    const string FileMarker = "--- ";

    /// <summary>Whether a file's text is a bundle's (its first line is the magic line).</summary>
    public static bool IsBundleText(string text) => text.StartsWith(Magic, StringComparison.Ordinal);

    /// <summary>
    /// Whether the file starts like a bundle (so <c>policyc run</c> replays it). Reads the magic's
    /// length (after a byte order mark) and no more: a first line may never end (<c>/dev/zero</c>).
    /// The open does not block on a named pipe without a writer, which reads as no bundle.
    /// </summary>
    public static bool IsBundle(string path)
    {
        try
        {
            var preamble = Encoding.UTF8.Preamble;
            var start = StrictText.ReadBounded(path, preamble.Length + Magic.Length).AsSpan();
            if (start.StartsWith(preamble))
                start = start[preamble.Length..];
            return start.StartsWith(Encoding.ASCII.GetBytes(Magic));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append(Magic).Append(": a policy, its bases, a scenario and the result it gave.\n");
        sb.Append("# Replay it with: policyc run THIS-FILE (the run must give the same result).\n");
        sb.Append("policy: ").Append(Policy).Append('\n');
        sb.Append("scenario: ").Append(Scenario).Append('\n');
        sb.Append("seed: ").Append(Seed).Append('\n');
        if (Duration is not null)
            sb.Append("duration: ").Append(Duration).Append('\n');
        foreach (var (name, value) in Expected)
            sb.Append("expect ").Append(name).Append(": ").Append(value).Append('\n');
        foreach (var file in Files)
        {
            sb.Append(FileMarker).Append(file.Path).Append('\n');
            foreach (var line in Lines(file.Text))
            {
                if (line.StartsWith(FileMarker, StringComparison.Ordinal))
                    throw new BundleException($"{file.Path}: a line starts with '{FileMarker}', which a bundle uses to separate files; reword it");
                sb.Append(line).Append('\n');
            }
        }
        return sb.ToString();
    }

    static IEnumerable<string> Lines(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    /// <summary>Reads a bundle; errors name the line.</summary>
    public static Bundle Parse(string text, string path)
    {
        var lines = Lines(text).ToArray();
        if (lines.Length == 0 || !lines[0].StartsWith(Magic, StringComparison.Ordinal))
            throw new BundleException($"{path}(1,1): not a policyc bundle (it must start with '{Magic}')");
        string? policy = null, scenario = null, duration = null;
        string scenarioAt = path;
        ulong? seed = null;
        var expected = new List<(string, string)>();
        var files = new List<BundleFile>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int i = 1;
        for (; i < lines.Length && !lines[i].StartsWith(FileMarker, StringComparison.Ordinal); i++)
        {
            string line = lines[i];
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            int colon = line.IndexOf(':');
            if (colon <= 0)
                throw new BundleException($"{path}({i + 1},1): expected 'key: value'");
            string key = line[..colon].Trim(), value = line[(colon + 1)..].Trim();
            if (!seen.TryAdd(key, i + 1))
                throw new BundleException($"{path}({i + 1},1): '{key}' is given twice (first at line {seen[key]})");
            switch (key)
            {
                case "policy": policy = value; break;
                case "scenario":
                    scenario = value;
                    scenarioAt = $"{path}({i + 1},{colon + 3})";
                    break;
                case "duration":
                    duration = Units.TryParseDuration(value, out long ns) && ns > 0
                        ? value
                        : throw new BundleException($"{path}({i + 1},{colon + 3}): '{value}' is not a positive duration");
                    break;
                case "seed":
                    // A scenario's seed is a count, so at most long.MaxValue.
                    seed = ulong.TryParse(value, out ulong s) && s <= long.MaxValue ? s
                        : throw new BundleException($"{path}({i + 1},{colon + 3}): '{value}' is not a seed (a whole number from 0 to {long.MaxValue})");
                    break;
                default:
                    if (!key.StartsWith("expect ", StringComparison.Ordinal))
                        throw new BundleException($"{path}({i + 1},1): unknown key '{key}'");
                    expected.Add((key["expect ".Length..].Trim(), value));
                    break;
            }
        }
        var carried = new Dictionary<string, int>(StringComparer.Ordinal);
        while (i < lines.Length)
        {
            string filePath = lines[i][FileMarker.Length..].Trim();
            if (!carried.TryAdd(filePath, i + 1))
                throw new BundleException($"{path}({i + 1},1): '{filePath}' is carried twice (first at line {carried[filePath]})");
            int start = ++i;
            while (i < lines.Length && !lines[i].StartsWith(FileMarker, StringComparison.Ordinal))
                i++;
            files.Add(new BundleFile(filePath, string.Concat(lines[start..i].Select(l => l + "\n")), start + 1));
        }
        if (policy is null || scenario is null || seed is null)
            throw new BundleException($"{path}: the header must give policy, scenario and seed");
        if (!files.Any(f => f.Path == policy))
            throw new BundleException($"{path}: the bundle does not carry its policy '{policy}'");
        // A scenario file travels in the bundle; a replay never reads one from the machine it runs on.
        if (ScenarioReader.IsScenarioFile(scenario))
        {
            if (!files.Any(f => f.Path == scenario))
                throw new BundleException($"{scenarioAt}: the bundle does not carry its scenario file '{scenario}'");
        }
        else if (!BuiltinScenarios.Names.Contains(scenario, StringComparer.OrdinalIgnoreCase))
            throw new BundleException($"{scenarioAt}: '{scenario}' is not a built-in scenario ({string.Join(", ", BuiltinScenarios.Names)}) nor a .json or .toml file");
        return new Bundle(policy, scenario, seed.Value, duration, expected, files);
    }
}

/// <summary>A bundle that cannot be written or read: the message names the file and line.</summary>
public sealed class BundleException(string message) : Exception(message);
