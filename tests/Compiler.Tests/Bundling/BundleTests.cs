using Policyc.Compiler.Binding;
using Policyc.Compiler.Bundling;
using Policyc.Compiler.Tests.Support;

namespace Policyc.Compiler.Tests.Bundling;

public class BundleTests
{
    static Bundle Sample(IReadOnlyList<BundleFile> files) =>
        new(files[0].Path, "small", 3, "30s", [("verdict", "livelock"), ("files_removed", "10 of 20")], files);

    [Fact]
    public void A_bundle_reads_back_as_written()
    {
        var bundle = Sample([new("fix.rpol", "policy fix extends linux-3.13 {\n  // --- not a marker here\n}\n"), new("linux-3.13.rpol", "policy linux-3.13 { }\n")]);
        string text = bundle.ToText();
        Assert.StartsWith(Bundle.Magic, text);
        var read = Bundle.Parse(text, "b.bundle");
        Assert.Equal(bundle.Policy, read.Policy);
        Assert.Equal((bundle.Scenario, bundle.Seed, bundle.Duration), (read.Scenario, read.Seed, read.Duration));
        Assert.Equal(bundle.Expected, read.Expected);
        Assert.Equal(bundle.Files.Select(f => (f.Path, f.Text)), read.Files.Select(f => (f.Path, f.Text)));
        // Each file's text starts on the line after its marker: 8 header lines, then "--- fix.rpol".
        var lines = text.Split('\n');
        Assert.All(read.Files, f => Assert.Equal("--- " + f.Path, lines[f.FirstLine - 2]));
        Assert.Equal([10, 14], read.Files.Select(f => f.FirstLine));
    }

    [Fact]
    public void A_line_that_looks_like_a_file_marker_is_refused()
    {
        var bundle = Sample([new("fix.rpol", "/*\n--- notes\n*/\npolicy fix extends linux-3.13 { }\n")]);
        Assert.Contains("a line starts with '--- '", Assert.Throws<BundleException>(bundle.ToText).Message);
    }

    [Theory]
    [InlineData("policy: x.rpol\n", "not a policyc bundle")]
    [InlineData(Bundle.Magic + "\nseed: many\n", "b.bundle(2,7): 'many' is not a seed")]
    [InlineData(Bundle.Magic + "\npolicy: x.rpol\nscenario: small\nseed: 1\n--- y.rpol\n", "does not carry its policy 'x.rpol'")]
    [InlineData(Bundle.Magic + "\nduration: 0s\n", "b.bundle(2,11): '0s' is not a positive duration")]
    [InlineData(Bundle.Magic + "\nseed: 1\nseed: 2\n", "b.bundle(3,1): 'seed' is given twice (first at line 2)")]
    [InlineData(Bundle.Magic + "\nduration: soon\n", "b.bundle(2,11): 'soon' is not a positive duration")]
    [InlineData(Bundle.Magic + "\nseed: 18446744073709551615\n", "b.bundle(2,7): '18446744073709551615' is not a seed (a whole number from 0 to 9223372036854775807)")]
    [InlineData(Bundle.Magic + "\npolicy: x.rpol\nscenario: nosuch\nseed: 1\n--- x.rpol\n", "b.bundle(3,11): 'nosuch' is not a built-in scenario")]
    [InlineData(Bundle.Magic + "\npolicy: x.rpol\nscenario: /etc/m.toml\nseed: 1\n--- x.rpol\n", "b.bundle(3,11): the bundle does not carry its scenario file '/etc/m.toml'")]
    [InlineData(Bundle.Magic + "\npolicy: x.rpol\nscenario: small\nseed: 1\n--- x.rpol\na\n--- x.rpol\nb\n", "b.bundle(7,1): 'x.rpol' is carried twice (first at line 5)")]
    public void Errors_name_the_line(string text, string message) =>
        Assert.Contains(message, Assert.Throws<BundleException>(() => Bundle.Parse(text, "b.bundle")).Message);

    [Fact]
    public void Collect_takes_the_policy_and_its_bases_and_unpack_restores_the_layout()
    {
        using var dir = new TempPolicies();
        string policy = dir.Write("fixes/fix.rpol", "policy fix extends \"../linux-3.13.rpol\" {\n  swap { skip_lowest_bit = false; }\n}\n");
        var files = BundleFiles.Collect(policy);
        Assert.Equal(["fix.rpol", "../linux-3.13.rpol"], files.Select(f => f.Path));

        using var replay = new TempPolicies();
        string unpacked = BundleFiles.Unpack(Sample(files), Path.Combine(replay.Directory, "r"));
        var compilation = PolicyCompilation.Load(unpacked);
        Assert.False(compilation.HasErrors, string.Join("\n", compilation.Diagnostics));
        Assert.Equal("fix", compilation.Policy!.Name);
        Assert.Equal("linux-3.13", compilation.Policy.Base!.Name);
    }

    [Fact]
    public void Unpack_refuses_a_file_bound_for_a_sibling_whose_name_starts_like_the_replay_directory()
    {
        using var replay = new TempPolicies();
        var bundle = Sample([new("fix.rpol", "policy fix { }\n"), new("a/../../r2/evil.rpol", "policy evil { }\n")]);
        var error = Assert.Throws<BundleException>(() => BundleFiles.Unpack(bundle, Path.Combine(replay.Directory, "r")));
        Assert.Contains("would be written outside the replay directory", error.Message);
        Assert.False(File.Exists(Path.Combine(replay.Directory, "r2", "evil.rpol")));
    }
}
