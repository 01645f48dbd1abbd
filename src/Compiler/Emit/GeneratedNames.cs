using System.Text;
using Policyc.Compiler.Binding;

namespace Policyc.Compiler.Emit;

/// <summary>
/// Names in generated C#. Policy names and shrinker patterns never reach the C# text as code: class
/// names keep only ASCII letters and digits, shrinker rules are numbered, and hook method names
/// come from the contract's <c>HookId</c>. So no policy can inject C# through a name.
/// </summary>
public sealed class GeneratedNames
{
    public const string Namespace = "Policyc.Generated";

    readonly Dictionary<BoundPolicy, string> classes = [];
    readonly Dictionary<string, int> patternIndex = new(StringComparer.Ordinal);

    public GeneratedNames(BoundPolicy policy)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in policy.Lineage.Reverse())
        {
            string name = Sanitize(p.Name);
            string unique = name;
            for (int i = 2; !taken.Add(unique); i++)
                unique = name + "_" + i;
            classes[p] = unique;
        }
        int index = 1;
        foreach (var pattern in policy.ShrinkerPatterns)
            patternIndex[pattern] = index++;
    }

    public string ClassOf(BoundPolicy policy) => classes[policy];

    public string FullClassOf(BoundPolicy policy) => Namespace + "." + classes[policy];

    public string MethodOf(RuleKey key) => key.Pattern is null
        ? key.Hook.ToString()
        : $"{key.Hook}_{patternIndex[key.Pattern]}";

    /// <summary><c>linux-3.14-swapfix</c> → <c>Linux_3_14_Swapfix</c>.</summary>
    static string Sanitize(string policyName)
    {
        var sb = new StringBuilder("Policy_");
        bool upper = true;
        foreach (char c in policyName)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                if (sb[^1] != '_')
                    sb.Append('_');
                upper = true;
            }
        }
        return sb.ToString().TrimEnd('_');
    }
}
