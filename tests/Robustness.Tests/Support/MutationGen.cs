using CsCheck;

namespace Policyc.Robustness.Tests.Support;

/// <summary>
/// CsCheck generator of mutants of the shipped policies: a few edits each (delete a run, insert a
/// token or a hostile character, duplicate a run, swap two runs), placed anywhere in the file. The
/// fragments lean on what breaks lexers and printers: unbalanced delimiters and comments, string
/// quotes and escapes, control, surrogate and bidi characters, and numbers that overflow.
/// </summary>
static class MutationGen
{
    static readonly string[] Fragments =
    [
        "(", ")", "{", "}", ";", "=", "?", ":", ",", ".", "&&", "||", "!", "-", "<<", ">>", "pages", "bytes", "base",
        "policy", "extends", "const", "\"", "\\", "\"sb-*\"", "//", "/*", "*/", "\n", "\r", "\r\n", "\t", " ", "0",
        "64k", "2.8G", "20ms", "100%", "1 << 64", "1 / 0", "0x", "99999999999999999999", "-9223372036854775808",
        "has(", "min(", "zone.", "order", "GFP_NOFS", "__GFP_FS", "run", "defer", "@class", "#line 1 \"x\"",
        "#pragma warning disable", "\0", "\u00e9", "\u202e", "\u2066", "\u200b", "\ufeff", "\u2028", "\ud800",
        "\udc00", "\U0001F600", "\\u0022", "\\uD800", "\\udc00", "\u037e", "\uff1b",
        "test", "given", "expect", "==", "!=", "<=", "runs", "defers", "skips", "scenario = small", "seed = 18446744073709551616",
        "duration = 0s", "nodes = 9", "verdict", "zone.max_free_order", "shrinker \"sb-xfs\"", "gfp.", "-1 pages",
    ];

    public sealed record Edit(int Kind, double At, double Other, int Length, string Fragment);

    static readonly Gen<Edit> OneEdit = Gen.Select(
        Gen.Int[0, 4], Gen.Double[0, 1], Gen.Double[0, 1], Gen.Int[1, 40], Gen.OneOf(Fragments),
        (kind, at, other, length, fragment) => new Edit(kind, at, other, length, fragment));

    /// <summary>A shipped policy's index and the edits applied to it.</summary>
    public static readonly Gen<(int Policy, Edit[] Edits)> Mutation =
        Gen.Select(Gen.Int[0, Repository.ShippedPolicies.Count - 1], OneEdit.Array[1, 4]);

    /// <summary>A few edits, for any text.</summary>
    public static readonly Gen<Edit[]> Edits = OneEdit.Array[1, 4];

    /// <summary>A shipped test file's index and the edits applied to it.</summary>
    public static readonly Gen<(int TestFile, Edit[] Edits)> TestFileMutation =
        Gen.Select(Gen.Int[0, Repository.ShippedTestFiles.Count - 1], OneEdit.Array[1, 4]);

    public static string Apply(int policy, Edit[] edits) => Apply(Repository.ShippedPolicies[policy].Text, edits);

    public static string Apply(string text, Edit[] edits)
    {
        foreach (var e in edits)
        {
            if (text.Length == 0)
                return e.Fragment;
            int at = (int)(e.At * (text.Length - 1));
            int length = Math.Min(e.Length, text.Length - at);
            switch (e.Kind)
            {
                case 0:
                    text = text.Remove(at, length);
                    break;
                case 1:
                case 2:
                    text = text.Insert(at, e.Fragment);
                    break;
                case 3:
                    text = text.Insert((int)(e.Other * text.Length), text.Substring(at, length));
                    break;
                default:
                    int to = (int)(e.Other * (text.Length - length));
                    string run = text.Substring(at, length);
                    text = text.Remove(at, length).Insert(Math.Min(to, text.Length - length), run);
                    break;
            }
        }
        return text;
    }
}
