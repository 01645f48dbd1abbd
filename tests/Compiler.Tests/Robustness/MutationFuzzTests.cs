using Policyc.Compiler.Binding;
using Policyc.Compiler.Emit;
using Policyc.Compiler.Formatting;
using Policyc.Compiler.Interpretation;
using Policyc.Compiler.Syntax;
using Policyc.Compiler.Tests.Support;
using Policyc.Compiler.Text;

namespace Policyc.Compiler.Tests.Robustness;

/// <summary>
/// Mutates the shipped policies at random (deleting, duplicating and inserting text and tokens) and
/// checks that check, fmt and the interpreter's build never throw: every rejected input gets
/// diagnostics whose positions lie inside the file, and every accepted one formats idempotently.
/// Seeded, so a failure names an input that can be replayed.
/// </summary>
public class MutationFuzzTests
{
    const int MutantsPerPolicy = 150;

    static readonly string[] Fragments =
    [
        "(", ")", "{", "}", ";", "=", "?", ":", "&&", "||", "!", "-", "<<", "pages", "bytes", "base", "policy", "extends",
        "const", "\"", "\"sb-*\"", "//", "/*", "*/", "\n", " ", "0", "1", "64k", "2.8G", "20ms", "99999999999999999999",
        "0x", "1.5", "%", "FS", "GFP_NOFS", "zone", "zone.", "order", "has(", "min(", "run", "@", "\u2028", "\0", "é",
        "gfp {", "shrinker", "swap { skip_lowest_bit = false; }", "xfs", "}}}", "((((", "1 << 64", "1 / 0",
    ];

    public static TheoryData<string> Policies()
    {
        var data = new TheoryData<string>();
        foreach (var file in Repository.PolicyFiles())
            data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Mutated_policies_never_crash_the_compiler(string file)
    {
        string original = File.ReadAllText(Path.Combine(Repository.Policies, file));
        var random = new Random(file.GetHashCode(StringComparison.Ordinal) ^ 2014);
        using var dir = new TempPolicies();
        string path = Path.Combine(dir.Directory, "mutant.rpol");
        for (int i = 0; i < MutantsPerPolicy; i++)
        {
            string mutant = Mutate(original, random);
            try
            {
                CheckOne(mutant, path);
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"mutant {i} of {file} crashed the compiler: {e}\n--- input ---\n{mutant}");
            }
        }
    }

    static void CheckOne(string mutant, string path)
    {
        var compilation = PolicyCompilation.FromText(mutant, path);
        foreach (var d in compilation.Diagnostics)
        {
            Assert.True(d.Start.Line >= 1 && d.Start.Column >= 1, d.ToString());
            if (d.Location is { } location)
            {
                Assert.InRange(location.Span.Start, 0, location.Text.Length);
                Assert.InRange(location.Span.End, location.Span.Start, location.Text.Length);
            }
        }
        if (compilation.Policy is { } policy)
        {
            Assert.False(compilation.HasErrors);
            TableAssembler.Assemble(policy, rule => Interpreter.CreateDelegate(rule, policy.Directory));
            // Emitting C# must work for anything that checks; compiling it all would make the test slow.
            Assert.NotEmpty(CSharpEmitter.Emit(policy));
        }
        else
        {
            Assert.Contains(compilation.Diagnostics, d => d.IsError);
        }

        var tree = SyntaxTree.Parse(SourceText.From(mutant, path));
        if (Formatter.Format(tree) is { } formatted)
        {
            Assert.Equal(formatted, Formatter.Format(formatted, path));
            var reparsed = SyntaxTree.Parse(formatted, path);
            Assert.False(reparsed.HasErrors, string.Join("\n", reparsed.Diagnostics) + "\n--- formatted ---\n" + formatted);
            Assert.Equal(tree.Comments.Count, reparsed.Comments.Count);
        }
    }

    static string Mutate(string text, Random random)
    {
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits && text.Length > 0; e++)
        {
            int at = random.Next(text.Length);
            switch (random.Next(4))
            {
                case 0:
                    text = text.Remove(at, Math.Min(random.Next(1, 12), text.Length - at));
                    break;
                case 1:
                    text = text.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 2:
                    int length = Math.Min(random.Next(1, 40), text.Length - at);
                    text = text.Insert(random.Next(text.Length), text.Substring(at, length));
                    break;
                default:
                    text = text.Insert(at, ((char)random.Next(0x20, 0x7f)).ToString());
                    break;
            }
        }
        return text;
    }
}
