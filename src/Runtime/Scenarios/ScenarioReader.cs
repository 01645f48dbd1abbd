using System.Globalization;
using System.Text;
using System.Text.Json;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Policyc.Runtime.Scenarios;

/// <summary>
/// Reads a scenario file (.json or .toml): a flat table of the keys <c>--set</c> accepts, plus an
/// optional <c>base</c> naming the built-in scenario it starts from (default <c>small</c>).
/// Every error names the file, line and column; a file must describe a possible machine by itself,
/// and a limit it breaks is reported at the line that set the field.
/// </summary>
public static class ScenarioReader
{
    public static Scenario Load(string path)
    {
        string text = InputText.Read(path, "the scenario file", out string? unreadable) ?? throw new ScenarioException(unreadable!);
        return Apply(path, Read(path, path, text));
    }

    /// <summary>
    /// A scenario file's text carried inside another file (a bundle), starting at line
    /// <paramref name="firstLine"/> of <paramref name="carrierPath"/>: errors name the carrier and
    /// its lines, the scenario is named after <paramref name="fileName"/> as if read from it.
    /// </summary>
    public static Scenario Parse(string carrierPath, int firstLine, string fileName, string text)
    {
        // Blank lines in front put every entry at its line in the carrier, for either format.
        string atItsLines = new string('\n', Math.Max(0, firstLine - 1)) + text;
        return Apply(carrierPath, Read(carrierPath, fileName, atItsLines), Path.GetFileNameWithoutExtension(fileName));
    }

    /// <summary>The entries of a scenario file's text, in the format its name's extension says; errors name <paramref name="path"/>.</summary>
    static List<Entry> Read(string path, string fileName, string text) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".json" => ReadJson(path, text),
        ".toml" => ReadToml(path, text),
        _ => throw new ScenarioException($"{fileName}: a scenario file must end in .json or .toml"),
    };

    /// <summary>Whether a scenario is named by a file (.json or .toml) rather than as a built-in.</summary>
    public static bool IsScenarioFile(string nameOrPath) =>
        nameOrPath.EndsWith(".toml", StringComparison.OrdinalIgnoreCase) || nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    /// <summary>One <c>key = value</c> of a file, with where it was written.</summary>
    internal readonly record struct Entry(string Key, string Value, int Line, int Column);

    internal static Scenario Apply(string path, IReadOnlyList<Entry> entries, string? name = null)
    {
        // TOML forbids a key twice, and in JSON the later one would silently win: both are mistakes.
        var seen = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var entry in entries)
            if (!seen.TryAdd(entry.Key, entry))
                throw new ScenarioException($"{path}({entry.Line},{entry.Column}): '{entry.Key}' is given twice (first at line {seen[entry.Key].Line})");
        var baseEntry = entries.FirstOrDefault(e => e.Key == "base");
        if (baseEntry.Key is not null && IsScenarioFile(baseEntry.Value))
            throw new ScenarioException($"{path}({baseEntry.Line},{baseEntry.Column}): a base is a built-in scenario ({string.Join(", ", BuiltinScenarios.Names)}), not a file");
        Scenario scenario;
        try
        {
            scenario = BuiltinScenarios.Get(baseEntry.Key is null ? "small" : baseEntry.Value);
        }
        catch (ScenarioException e)
        {
            throw new ScenarioException($"{path}({baseEntry.Line},{baseEntry.Column}): {e.Message}");
        }
        scenario = scenario with { Name = name ?? Path.GetFileNameWithoutExtension(path) };
        foreach (var entry in entries.Where(e => e.Key != "base"))
        {
            try
            {
                scenario = scenario.WithOverride(entry.Key, entry.Value);
            }
            catch (ScenarioException e)
            {
                throw new ScenarioException($"{path}({entry.Line},{entry.Column}): {e.Message}");
            }
        }
        var problems = scenario.Problems();
        if (problems.Count > 0)
            throw ScenarioValidation.Impossible(scenario.Name, problems.Select(p => $"{Where(path, entries, p.Field)}: {p.Field}: {p.Message}"));
        return scenario;
    }

    /// <summary>The position of the file's last entry for a field (a cost field for <c>cost-*</c>), or the file alone when its base set it.</summary>
    static string Where(string path, IReadOnlyList<Entry> entries, string field)
    {
        var entry = entries.LastOrDefault(e => field.EndsWith('*') ? e.Key.StartsWith(field[..^1], StringComparison.Ordinal) : e.Key == field);
        return entry.Key is null ? path : $"{path}({entry.Line},{entry.Column})";
    }

    static List<Entry> ReadJson(string path, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var entries = new List<Entry>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new ScenarioException($"{path}(1,1): a JSON scenario is one object of fields");
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var (line, column) = Position(bytes, (int)reader.TokenStartIndex);
                var key = StringAt(ref reader, path, bytes);
                reader.Read();
                string value = reader.TokenType switch
                {
                    JsonTokenType.String => StringAt(ref reader, path, bytes),
                    JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                    JsonTokenType.Null => "none",
                    _ => throw new ScenarioException($"{path}({line},{column}): '{key}' needs a string or a number"),
                };
                entries.Add(new Entry(ScenarioOverrides.NormalizeKey(key), value, line, column));
            }
            // Reading on past the object: the reader throws for a second value, which a reader that
            // stopped at the first '}' would silently ignore.
            reader.Read();
        }
        catch (JsonException e)
        {
            throw new ScenarioException($"{path}({(e.LineNumber ?? 0) + 1},{(e.BytePositionInLine ?? 0) + 1}): invalid JSON: {e.Message}");
        }
        return entries;
    }

    /// <summary>
    /// The string token's text. An escaped lone surrogate ("\uD800") is valid JSON syntax but no
    /// text; System.Text.Json throws InvalidOperationException for it, which is the file's error.
    /// </summary>
    static string StringAt(ref Utf8JsonReader reader, string path, byte[] bytes)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            var (line, column) = Position(bytes, (int)reader.TokenStartIndex);
            throw new ScenarioException($"{path}({line},{column}): invalid JSON: a string escapes half of a surrogate pair (\\uD800 to \\uDFFF alone)");
        }
    }

    static (int Line, int Column) Position(byte[] bytes, int offset)
    {
        int line = 1, column = 1;
        for (int i = 0; i < offset && i < bytes.Length; i++)
        {
            if (bytes[i] == '\n')
            {
                line++;
                column = 1;
            }
            else
                column++;
        }
        return (line, column);
    }

    static List<Entry> ReadToml(string path, string text)
    {
        var document = FlatToml.Parse(path, text, "a scenario file", out string? error) ?? throw new ScenarioException(error!);
        var entries = new List<Entry>();
        foreach (var kv in document.KeyValues)
        {
            int line = kv.Span.Start.Line + 1, column = kv.Span.Start.Column + 1;
            var key = kv.Key!.ToString().Trim().Trim('"');
            string value = kv.Value switch
            {
                StringValueSyntax s => s.Value!,
                IntegerValueSyntax i => i.Value.ToString(CultureInfo.InvariantCulture),
                FloatValueSyntax f => f.Value.ToString(CultureInfo.InvariantCulture),
                _ => throw new ScenarioException($"{path}({line},{column}): '{key}' needs a string or a number"),
            };
            entries.Add(new Entry(ScenarioOverrides.NormalizeKey(key), value, line, column));
        }
        return entries;
    }
}
