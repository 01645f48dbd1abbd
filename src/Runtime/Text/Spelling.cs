namespace Policyc.Runtime.Text;

/// <summary>
/// "Did you mean" suggestions: the closest candidate within a small edit distance. Shared by the
/// binder (rule, field and function names) and the scenario reader (fields and built-in names).
/// </summary>
public static class Spelling
{
    /// <summary>"; did you mean 'x'?" to append to an error about <paramref name="name"/>, or "" when nothing is close.</summary>
    public static string DidYouMean(string name, IEnumerable<string> candidates) =>
        Suggest(name, candidates) is { } close ? $"; did you mean '{close}'?" : "";

    /// <summary>
    /// The candidate within a small edit distance of <paramref name="name"/>; failing that, one whose
    /// words (split at '_', '-' and '.') are all words of the name, or the other way round, so that a
    /// kernel spelling finds the short one (<c>free_pages</c> finds <c>free</c>, <c>high_wmark</c>
    /// finds <c>high</c>). Null when nothing is close.
    /// </summary>
    public static string? Suggest(string name, IEnumerable<string> candidates)
    {
        var distinct = candidates.Distinct().ToList();
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var candidate in distinct)
        {
            int distance = Distance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (bestDistance <= Math.Max(1, name.Length / 3))
            return best;
        return SharedWords(name, distinct);
    }

    /// <summary>The candidate sharing the most words with the name, where one's words contain the other's.</summary>
    static string? SharedWords(string name, IReadOnlyList<string> candidates)
    {
        var words = Words(name);
        string? best = null;
        int bestShared = 0;
        foreach (var candidate in candidates)
        {
            var theirs = Words(candidate);
            if (!theirs.IsSubsetOf(words) && !words.IsSubsetOf(theirs))
                continue;
            int shared = theirs.Count(words.Contains);
            if (shared > bestShared)
            {
                best = candidate;
                bestShared = shared;
            }
        }
        return best;
    }

    static HashSet<string> Words(string name) =>
        new(name.ToLowerInvariant().Split(['_', '-', '.'], StringSplitOptions.RemoveEmptyEntries));

    static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
