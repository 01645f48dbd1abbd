using Policyc.Compiler.Binding;
using Policyc.Compiler.Emit;
using Policyc.Robustness.Tests.Support;

namespace Policyc.Robustness.Tests.FrontEnd;

/// <summary>
/// Text crafted to escape the generated C#, placed wherever policy text can reach it: comments
/// (which the emitter copies above each rule), shrinker patterns and rule texts (C# string
/// literals in the fault origins), names (identifiers), base paths and the file's own name (the
/// <c>#line</c> directive). Each is either rejected with a diagnostic or compiled into code that
/// is still only rule methods over the contract; see <see cref="GeneratedCode"/>.
/// </summary>
public class InjectionTests : IDisposable
{
    static readonly string[] PayloadTexts =
    [
        "\"", "\\", "\\\"", "*/", "*/ } static class X { static void M() { } /*", "\n#line 1 \"x\"\n", "#pragma warning disable",
        "#define X", "\u202e", "\u2066x\u2069", "\u2028", "\u2029", "\u0085", "\r", "@class", "class", "unsafe",
        "System.IO.File.Delete(\"x\");", "\"); System.Diagnostics.Process.Start(\"sh\"); //", "\\u0022", "\\u000a",
        "\\U0001F600", "}", "$\"{x}\"", "typeof(object)", "Environment.Exit(1)", "System.Reflection.Assembly.Load(\"x\")",
        "\u0000", "\ufeff", "\u200b", "\ud800", "{0}",
    ];

    public static readonly TheoryData<string> Payloads = new(PayloadTexts);

    readonly ScratchDirectory scratch = new();

    public void Dispose() => scratch.Dispose();

    /// <summary>The payload in every place that is free text: comments, a pattern and the rule text after a comment.</summary>
    [Theory]
    [MemberData(nameof(Payloads))]
    public void Free_text_cannot_escape_the_generated_code(string payload)
    {
        string text =
            "policy inj extends linux-3.13 {\n" +
            $"  // {payload}\n" +
            $"  gfp {{ may_oom = true /* {payload} */ && order > 1 / 1; }} // {payload}\n" +
            $"  shrinker \"{payload}*\" {{ batch = 64 + 1 - 1; }}\n" +
            "}\n";
        CompileOrReject(text, "inj.rpol");
    }

    /// <summary>
    /// Every payload the free-text places accept, all in one policy, compiled once with Roslyn (one
    /// compile per payload would make this the slowest test of the suite).
    /// </summary>
    [Fact]
    public void All_accepted_free_text_payloads_compile_to_code_that_reaches_only_the_contract()
    {
        // Shrinker sections, one per payload and place, since a policy has one section of each other kind.
        var text = new System.Text.StringBuilder("policy inj extends linux-3.13 {\n");
        int accepted = 0;
        foreach (string payload in PayloadTexts)
        {
            string comments = $"  // {payload}\n  shrinker \"c{accepted}-*\" {{ batch = 1 /* {payload} */ + 1; }} // {payload}\n";
            string pattern = $"  shrinker \"p{accepted}-{payload}*\" {{ batch = 64 + 1 - 1; }}\n";
            foreach (string member in new[] { comments, pattern })
            {
                if (PolicyCompilation.FromText("policy one extends linux-3.13 {\n" + member + "}\n", scratch.Combine("one.rpol")).Policy is null)
                    continue;
                text.Append(member);
                accepted++;
            }
        }
        text.Append("}\n");
        Assert.InRange(accepted, PayloadTexts.Length / 2, 2 * PayloadTexts.Length);
        Assert.True(CompileOrReject(text.ToString(), "all.rpol", roslyn: true));
    }

    /// <summary>The payload where the grammar expects a name; names are reduced to letters and digits in C#.</summary>
    [Theory]
    [MemberData(nameof(Payloads))]
    public void Names_cannot_carry_code(string payload)
    {
        CompileOrReject($"policy {payload} extends linux-3.13 {{ }}\n", "name.rpol");
        CompileOrReject($"policy inj extends linux-3.13 {{ const {payload} = 1; xfs {{ deadlock_warn_every = {payload}; }} }}\n", "const.rpol");
        CompileOrReject($"policy inj extends linux-3.13 {{ xfs {{ {payload} = 1; }} }}\n", "rule.rpol");
        CompileOrReject($"policy inj extends \"{payload}\" {{ }}\n", "path.rpol");
    }

    /// <summary>The file name reaches the <c>#line</c> directive and the fault origins.</summary>
    [Theory]
    [MemberData(nameof(Payloads))]
    public void File_names_cannot_carry_code(string payload)
    {
        string name = "f" + payload.Replace('/', '_').Replace('\0', '_') + ".rpol";
        CompileOrReject("policy f extends linux-3.13 { xfs { deadlock_warn_every = 100 / (order + 1); } }\n", name);
    }

    [Fact]
    public void Keywords_of_CSharp_are_fine_as_policy_names_and_constants()
    {
        // C# keywords are ordinary names in .rpol; they must not break (or escape) the generated code.
        foreach (string keyword in new[] { "class", "static", "namespace", "return", "void", "object", "string", "unsafe", "fixed", "stackalloc" })
            Assert.True(CompileOrReject($"policy {keyword} extends linux-3.13 {{ const {keyword} = 2; xfs {{ deadlock_warn_every = {keyword} * 50; }} }}\n", keyword + ".rpol",
                roslyn: keyword is "class" or "unsafe"), keyword + " was rejected");
    }

    /// <summary>
    /// Rejected with an error, or accepted with generated C# of the expected shape; with
    /// <paramref name="roslyn"/>, also compiled and its assembly's references checked (Roslyn is the
    /// slow part, so the name and file-name cases rely on the shape of the C#).
    /// </summary>
    bool CompileOrReject(string text, string fileName, bool roslyn = false)
    {
        // In memory: a lone surrogate cannot be written to a UTF-8 file, but an editor's buffer may hold one.
        var compilation = PolicyCompilation.FromText(text, scratch.Combine(fileName));
        if (compilation.Policy is null)
        {
            Assert.Contains(compilation.Diagnostics, d => d.IsError);
            return false;
        }
        GeneratedCode.AssertOnlyRuleMethods(CSharpEmitter.Emit(compilation.Policy));
        if (roslyn)
        {
            var build = PolicyBuilder.Build(compilation, cache: null);
            Assert.True(build.Table is not null, string.Join("\n", build.Diagnostics));
            GeneratedCode.AssertOnlyContractReferences(build.Image!);
        }
        return true;
    }
}
