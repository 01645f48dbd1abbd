using System.Text.RegularExpressions;
using Policyc.Compiler.Binding;
using Policyc.Compiler.Diagnostics;
using Policyc.Compiler.Documentation;
using Policyc.Compiler.Emit;
using Policyc.Compiler.Tests.Support;

namespace Policyc.Compiler.Tests.Documentation;

/// <summary>
/// The docs are checked like code: generated tables must match the contract (approve changes with
/// POLICYC_ACCEPT_SNAPSHOTS=1, which rewrites the tables in place), every diagnostic code is
/// documented, and every rpol example in diagnostics.md reports the code it illustrates, in the words
/// shown under it.
/// </summary>
public partial class DocsTests
{
    static bool Accept => Environment.GetEnvironmentVariable("POLICYC_ACCEPT_SNAPSHOTS") == "1";

    static string Doc(string name) => Path.Combine(Repository.Root, "docs", name);

    [Fact]
    public void Language_reference_tables_match_the_contract() =>
        CheckGenerated(Doc("language.md"), ("rules", ReferenceTables.Rules()), ("context", ReferenceTables.Context()), ("gfp", ReferenceTables.Gfp()));

    [Fact]
    public void Diagnostics_code_table_matches_the_code_list() =>
        CheckGenerated(Doc("diagnostics.md"), ("codes", ReferenceTables.Codes()));

    [Fact]
    public void Every_code_has_a_section_in_diagnostics_md()
    {
        string text = File.ReadAllText(Doc("diagnostics.md"));
        var missing = DiagnosticCodes.All.Where(d => !text.Contains($"\n## {d.Code}\n", StringComparison.Ordinal));
        Assert.Empty(missing.Select(d => d.Code));
    }

    [Fact]
    public void Every_rpol_example_in_diagnostics_md_reports_its_code_as_shown()
    {
        string text = File.ReadAllText(Doc("diagnostics.md"));
        var sections = Regex.Split(text, @"\n## ").Skip(1);
        int checkedExamples = 0, checkedOutputs = 0;
        foreach (var section in sections)
        {
            string code = section[..6];
            foreach (Match example in RpolBlock().Matches(section))
            {
                using var dir = new TempPolicies();
                string path = dir.Write("fix.rpol", example.Groups[1].Value);
                var diagnostics = PolicyCompilation.Load(path).Diagnostics;
                var codes = diagnostics.Select(d => d.Code).ToArray();
                Assert.True(codes.Contains(code), $"the example for {code} reports [{string.Join(", ", codes)}]");
                checkedExamples++;

                // The output shown under the example, if any, is what the compiler says, word for word.
                var shown = TextBlockAfter().Match(section, example.Index + example.Length);
                if (shown.Success && shown.Index == example.Index + example.Length)
                {
                    // Paths as a user in the example's directory sees them.
                    string directory = Path.GetDirectoryName(path) + Path.DirectorySeparatorChar;
                    var reported = diagnostics.Select(d => d.ToString().Replace(directory, "")).ToArray();
                    foreach (string line in shown.Groups[1].Value.Split('\n').Where(l => l.StartsWith("fix.rpol(", StringComparison.Ordinal)))
                    {
                        Assert.True(reported.Contains(line),
                            $"diagnostics.md shows for {code}:\n{line}\nthe compiler says:\n{string.Join("\n", reported)}");
                        checkedOutputs++;
                    }
                }
            }
        }
        Assert.True(checkedExamples >= 25, $"only {checkedExamples} examples found");
        Assert.True(checkedOutputs >= 20, $"only {checkedOutputs} example outputs found");
    }

    static void CheckGenerated(string path, params (string Name, string Content)[] blocks)
    {
        string current = File.ReadAllText(path);
        string expected = blocks.Aggregate(current, (doc, b) => ReferenceTables.Splice(doc, b.Name, b.Content));
        if (Accept && expected != current)
            File.WriteAllText(path, expected);
        else
            Assert.True(expected == current,
                $"{path} is out of date with the contract; run the tests with POLICYC_ACCEPT_SNAPSHOTS=1 and review the change.\n"
                + TextDiff.Unified(current, expected, "docs (current)", "docs (generated)"));
    }

    [GeneratedRegex("```rpol\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex RpolBlock();

    [GeneratedRegex("\\s*```text\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex TextBlockAfter();
}
