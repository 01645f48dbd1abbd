using Policyc.Compiler.Binding;
using Policyc.Compiler.Emit;
using Policyc.Compiler.Tests.Support;

namespace Policyc.Compiler.Tests.Emit;

/// <summary>
/// The generated C# of every shipped policy is kept, approved, in Snapshots/. A change to the
/// compiler or a policy that alters it fails here with a diff. To approve the new output run
///   ./policyc build $(ls policies/*.rpol | grep -v "\.test\.rpol$") --snapshot tests/Compiler.Tests/Snapshots --accept
/// or run the tests with POLICYC_ACCEPT_SNAPSHOTS=1, then review and commit the .approved files.
/// </summary>
public class SnapshotTests
{
    static bool Accept => Environment.GetEnvironmentVariable("POLICYC_ACCEPT_SNAPSHOTS") == "1";

    [Theory]
    [MemberData(nameof(Repository.ShippedPolicies), MemberType = typeof(Repository))]
    public void Generated_CSharp_matches_the_approved_snapshot(string file)
    {
        var compilation = PolicyCompilation.Load(Path.Combine(Repository.Policies, file));
        Assert.False(compilation.HasErrors, string.Join("\n", compilation.Diagnostics));
        string generated = CSharpEmitter.Emit(compilation.Policy!);
        var result = Snapshot.Check(Repository.Snapshots, compilation.Policy!.Name, generated, Accept);
        Assert.True(result.Outcome is Snapshot.Outcome.Matched or Snapshot.Outcome.Accepted,
            result.Outcome == Snapshot.Outcome.Missing
                ? $"no approved snapshot {result.ApprovedPath}; see this class's summary to create it"
                : $"generated C# changed; see this class's summary to approve it.\n{result.Diff}");
    }

    [Fact]
    public void Every_approved_snapshot_belongs_to_a_shipped_policy()
    {
        var policies = Repository.PolicyFiles()
            .Select(f => PolicyCompilation.Load(f).Policy?.Name)
            .ToHashSet();
        foreach (var snapshot in Directory.GetFiles(Repository.Snapshots, "*.g.cs.approved"))
        {
            string name = Path.GetFileName(snapshot)[..^".g.cs.approved".Length];
            Assert.True(policies.Contains(name), $"{snapshot} has no policy; delete it");
        }
    }

    [Fact]
    public void A_changed_snapshot_fails_with_a_readable_diff()
    {
        using var dir = new TempPolicies();
        string approved = "class A\n{\n    int x = 1;\n    int y = 2;\n}\n";
        Snapshot.Check(dir.Directory, "p", approved, accept: true);
        var result = Snapshot.Check(dir.Directory, "p", approved.Replace("int y = 2;", "int y = 3;"), accept: false);
        Assert.Equal(Snapshot.Outcome.Changed, result.Outcome);
        Assert.Contains("@@ -1 +1 @@", result.Diff);
        Assert.Contains("\n-    int y = 2;\n+    int y = 3;\n", result.Diff);
        Assert.Contains("\n     int x = 1;\n", result.Diff);
    }
}
