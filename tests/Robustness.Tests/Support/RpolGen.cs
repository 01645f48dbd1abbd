using CsCheck;
using Policyc.Compiler.Binding;
using Policyc.Runtime.Policy;

namespace Policyc.Robustness.Tests.Support;

/// <summary>
/// CsCheck generators of .rpol text that follow the grammar (grammar/Rpol.g4) with the contract's
/// real names, so most inputs get past the parser and exercise the binder, the constant folder,
/// the emitter and the formatter; a share of the choices are deliberately wrong (unknown names,
/// wrong sections, mismatched units, huge literals, shifts by 64) so the error paths are hit too.
/// </summary>
static class RpolGen
{
    static readonly string[] Sections = Enum.GetValues<PolicySection>().Select(HookCatalog.SectionName).ToArray();

    static readonly string[] Units = ["", "", "", " pages", "k", "K", "M", "G", "T", "ms", "us", "ns", "s", "%", " bytes", "x", "kb"];

    static readonly string[] Numbers =
    [
        "0", "1", "2", "3", "4", "64", "128", "1024", "1_000", "0x1f", "0xFFFF_FFFF", "2.5", "0.0001", "63", "64",
        "9223372036854775807", "9223372036854775808", "99999999999999999999999", "1.", "0x", "07",
    ];

    static readonly string[] BinaryOperators =
        ["*", "/", "%", "+", "-", "<<", ">>", "<", "<=", ">", ">=", "==", "!=", "&", "^", "|", "&&", "||"];

    static readonly string[] Names =
    [
        .. ContextSymbols.Fields.Select(f => $"{f.Group.Name}.{f.Name}"),
        .. ContextSymbols.Fields.Where(f => f.Group.Unqualified).Select(f => f.Name),
        .. GfpSymbols.AllNames,
        "C0", "C1", "C2", "undefined_name", "zone.no_such_field", "run", "defer", "skip", "base",
    ];

    static readonly string[] Functions =
        ["has", "min", "max", "pages", "bytes", "nosuch", .. ContextSymbols.Functions.Select(f => $"{f.Group.Name}.{f.Name}")];

    static readonly string[] Patterns = ["\"*\"", "\"sb-*\"", "\"xfs*\"", "\"\"", "\"[\"", "\"a\\\"b\""];

    public static readonly Gen<string> Leaf = Gen.Frequency(
        (4, Gen.Select(Gen.OneOf(Numbers), Gen.OneOf(Units), (n, u) => n + u)),
        (6, Gen.OneOf(Names)),
        (1, Gen.OneOf("true", "false")));

    /// <summary>Expressions up to <paramref name="depth"/> levels of operators and calls.</summary>
    public static Gen<string> Expr(int depth)
    {
        if (depth == 0)
            return Leaf;
        var sub = Expr(depth - 1);
        return Gen.Frequency(
            (3, Leaf),
            (4, Gen.Select(sub, Gen.OneOf(BinaryOperators), sub, (a, op, b) => $"{a} {op} {b}")),
            (1, Gen.Select(Gen.OneOf("!", "-", "~"), sub, (op, a) => op + a)),
            (1, Gen.Select(sub, sub, sub, (c, a, b) => $"{c} ? {a} : {b}")),
            (2, sub.Select(a => $"({a})")),
            (1, sub.Select(a => $"{a} pages")),
            (2, Gen.Select(Gen.OneOf(Functions), sub.Array[0, 3], (f, args) => $"{f}({string.Join(", ", args)})")));
    }

    static readonly Gen<string> Rule = Gen.Select(
        Gen.Frequency(
            (9, Gen.OneOf(HookCatalog.All.Select(h => h.Name).ToArray())),
            (1, Gen.OneOf("no_such_rule", "base", "policy"))),
        Expr(3),
        (name, value) => $"    {name} = {value};");

    static readonly Gen<string> Section = Gen.Select(
        Gen.Frequency((9, Gen.OneOf(Sections)), (1, Gen.OneOf("vmscan", "const"))),
        Gen.Frequency((3, Gen.Const("")), (1, Gen.OneOf(Patterns).Select(p => " " + p))),
        Rule.Array[0, 5],
        (kind, pattern, rules) => $"  {kind}{pattern} {{\n{string.Join("\n", rules)}\n  }}");

    static readonly Gen<string> Constant = Gen.Select(
        Gen.OneOf("C0", "C1", "C2", "order", "true"), Expr(2), (name, value) => $"  const {name} = {value};");

    static readonly Gen<string> Comment = Gen.OneOf("", "  // note", "  /* block */", "  /* unclosed");

    static readonly Gen<string> Member = Gen.Frequency((2, Constant), (5, Section), (1, Comment));

    /// <summary>
    /// A whole file: usually one policy, extending linux-3.13 (found beside the file) three times in
    /// four, since a root policy must state every rule and random ones rarely do.
    /// </summary>
    public static readonly Gen<string> Policy = Gen.Select(
        Gen.Frequency((10, Gen.Const("fuzzed")), (1, Gen.OneOf("linux-3.13", "a.b-c", "1x", "policy", ""))),
        Gen.Frequency((6, Gen.Const(" extends linux-3.13")), (1, Gen.Const("")), (1, Gen.OneOf(" extends \"linux-3.13.rpol\"", " extends fuzzed", " extends missing"))),
        Member.Array[0, 6],
        Gen.Frequency((12, Gen.Const("")), (1, Gen.OneOf("}", "policy other { }", "\n// trailing"))),
        (name, extends, members, tail) => $"policy {name}{extends} {{\n{string.Join("\n", members)}\n}}\n{tail}");
}
