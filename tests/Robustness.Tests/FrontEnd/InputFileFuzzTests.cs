using System.Text;
using CsCheck;
using Policyc.Compiler.Bundling;
using Policyc.Compiler.Sweeping;
using Policyc.Robustness.Tests.Support;
using Policyc.Runtime.Scenarios;

namespace Policyc.Robustness.Tests.FrontEnd;

/// <summary>
/// Scenario files, sweep files and bundles are shared as text like policies. Mutants of real ones
/// either load or fail with their reader's own exception, whose message the command prints as one
/// line with exit 1; any other exception would be exit 70, an internal error.
/// </summary>
public sealed class InputFileFuzzTests : IDisposable
{
    const int Mutants = 1_500;

    readonly ScratchDirectory scratch = new();

    public void Dispose() => scratch.Dispose();

    static readonly string[] Scenarios =
    [
        .. Directory.GetFiles(Path.Combine(Repository.Root, "examples", "scenarios"), "*.toml").Order(StringComparer.Ordinal).Select(File.ReadAllText),
        "{\"base\": \"small\", \"mem\": \"1G\", \"duration\": \"10s\", \"xfs-log-force\": \"on\", \"nodes\": 2}\n",
    ];

    [Fact]
    public void Scenario_file_mutants_load_or_fail_with_a_scenario_error()
    {
        int loaded = 0;
        Gen.Select(Gen.Int[0, Scenarios.Length - 1], MutationGen.Edits).Sample((source, edits) =>
        {
            string path = scratch.Combine(Scenarios[source].StartsWith('{') ? "s.json" : "s.toml");
            Write(path, MutationGen.Apply(Scenarios[source], edits));
            try
            {
                ScenarioReader.Load(path).Validate();
                loaded++;
            }
            catch (ScenarioException e)
            {
                // "s.toml(3,1): …", or "scenario 's' is impossible: s.toml(3,1): …" for a limit.
                Assert.True(e.Message.Contains(path, StringComparison.Ordinal), e.Message);
            }
        }, iter: Mutants, threads: 1);
        Assert.InRange(loaded, 1, Mutants - 1);
    }

    [Fact]
    public void Sweep_file_mutants_load_or_fail_with_a_sweep_error()
    {
        // The sweep names the shipped policies by paths relative to it, so it sits in the repository's examples.
        string original = File.ReadAllText(Path.Combine(Repository.Root, "examples", "sweep", "shipped-small.toml"))
            .Replace("\"../../policies", "\"" + Repository.Policies, StringComparison.Ordinal);
        int loaded = 0;
        MutationGen.Edits.Sample(edits =>
        {
            string path = scratch.Combine("sweep.toml");
            Write(path, MutationGen.Apply(original, edits));
            try
            {
                SweepFile.Load(path);
                loaded++;
            }
            catch (SweepException e)
            {
                Assert.Contains("sweep.toml", e.Message);
            }
        }, iter: Mutants, threads: 1);
        Assert.InRange(loaded, 1, Mutants - 1);
    }

    [Fact]
    public void Bundle_mutants_parse_and_unpack_or_fail_with_a_bundle_error()
    {
        var bundle = new Bundle("fix.rpol", "small", 3, "10s", [("verdict", "completed"), ("files_removed", "320000 of 320000")],
        [
            new BundleFile("fix.rpol", "policy fix extends linux-3.13 {\n  swap { skip_lowest_bit = false; }\n}\n"),
            new BundleFile("../linux-3.13.rpol", File.ReadAllText(Repository.Linux313)),
        ]);
        string original = bundle.ToText();
        int unpacked = 0, run = 0;
        MutationGen.Edits.Sample(edits =>
        {
            // As a bundle file decodes: a lone surrogate cannot come out of strict UTF-8.
            string text = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(MutationGen.Apply(original, edits)));
            string directory = scratch.Combine($"replay-{run++}");
            try
            {
                BundleFiles.Unpack(Bundle.Parse(text, "b.bundle"), directory);
                unpacked++;
            }
            catch (BundleException e)
            {
                Assert.Contains("b.bundle", e.Message + " b.bundle");
            }
        }, iter: Mutants, threads: 1);
        Assert.InRange(unpacked, 1, Mutants - 1);
    }

    /// <summary>As an editor would save the text: a lone surrogate becomes U+FFFD.</summary>
    static void Write(string path, string text) => File.WriteAllBytes(path, Encoding.UTF8.GetBytes(text));
}
