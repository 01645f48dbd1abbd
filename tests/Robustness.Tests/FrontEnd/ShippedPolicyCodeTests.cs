using Policyc.Compiler.Binding;
using Policyc.Compiler.Emit;
using Policyc.Robustness.Tests.Support;

namespace Policyc.Robustness.Tests.FrontEnd;

/// <summary>
/// The generated-code audit applied to every shipped policy and example probe: the fuzzers check
/// generated policies against it, and these are the texts users start from.
/// </summary>
public class ShippedPolicyCodeTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var dir in new[] { Repository.Policies, Path.Combine(Repository.Root, "examples", "policies") })
            foreach (var file in Directory.GetFiles(dir, "*.rpol").Where(f => !f.EndsWith(".test.rpol", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
                data.Add(Path.GetRelativePath(Repository.Root, file));
        // Every operator and conversion the language has, in one policy.
        data.Add(Path.Combine("tests", "Compiler.Tests", "Policies", "arithmetic.rpol"));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Generated_code_is_rule_methods_over_the_contract_and_a_few_core_types(string file)
    {
        var compilation = PolicyCompilation.Load(Path.Combine(Repository.Root, file));
        Assert.False(compilation.HasErrors, string.Join("\n", compilation.Diagnostics));
        GeneratedCode.AssertOnlyRuleMethods(CSharpEmitter.Emit(compilation.Policy!));
        var build = PolicyBuilder.Build(compilation, cache: null);
        Assert.True(build.Table is not null, string.Join("\n", build.Diagnostics));
        GeneratedCode.AssertOnlyContractReferences(build.Image!);
    }
}
