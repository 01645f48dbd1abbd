using System.Text.Json;
using System.Text.RegularExpressions;
using Policyc.Compiler.Binding;
using Policyc.Compiler.Tests.Support;
using Policyc.Runtime.Policy;

namespace Policyc.Compiler.Tests.Documentation;

/// <summary>The TextMate grammar in editors/ parses, its patterns compile, and it knows every section, group and GFP flag.</summary>
public class EditorGrammarTests
{
    static readonly string GrammarPath = Path.Combine(Repository.Root, "editors", "vscode", "syntaxes", "rpol.tmLanguage.json");

    static IEnumerable<string> Patterns(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name is "match" or "begin" or "end" && property.Value.ValueKind == JsonValueKind.String)
                        yield return property.Value.GetString()!;
                    foreach (var inner in Patterns(property.Value))
                        yield return inner;
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    foreach (var inner in Patterns(item))
                        yield return inner;
                break;
        }
    }

    static string[] AllPatterns()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(GrammarPath));
        return Patterns(document.RootElement).ToArray();
    }

    [Fact]
    public void Every_pattern_compiles() =>
        Assert.All(AllPatterns(), p => _ = new Regex(p));

    [Fact]
    public void Sections_groups_and_gfp_flags_are_highlighted()
    {
        var patterns = AllPatterns().Select(p => new Regex(p)).ToArray();
        // Some pattern matches the text and its match covers the word.
        bool Highlighted(string text, string? word = null) =>
            patterns.Any(p => p.Match(text) is { Success: true } m && m.Value.Contains(word ?? text));
        foreach (var section in Enum.GetValues<PolicySection>().Select(HookCatalog.SectionName))
            Assert.True(Highlighted(section + " {", section), $"section '{section}' is not highlighted");
        foreach (var group in ContextSymbols.Groups)
            Assert.True(Highlighted(group.Name + ".x", group.Name), $"group '{group.Name}' is not highlighted");
        foreach (var flag in Enum.GetNames<Gfp>().Where(n => n != "None"))
            Assert.True(Highlighted(flag), $"GFP flag '{flag}' is not highlighted");
        foreach (var (text, keyword) in new[] { ("test \"t\" {", "test"), ("given order = 1", "given"), ("expect may_oom", "expect"), ("policy p {", "policy"), ("const X = 1", "const") })
            Assert.True(Highlighted(text, keyword), $"'{keyword}' is not highlighted");
    }
}
