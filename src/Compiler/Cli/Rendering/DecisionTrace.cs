using Policyc.Runtime.Policy;

namespace Policyc.Cli.Rendering;

/// <summary>
/// <c>--explain</c>'s record of what the policy decided: every hook of a table is wrapped so that each
/// call counts its answer per virtual second and per asker. After the run, the counts over the
/// livelock window say which rule decided what while the machine was stuck ("gfp.may_compact: false
/// in every call"), and for whom. Only used with --explain: the wrapping costs a dictionary look-up
/// per hook call.
/// </summary>
public sealed class DecisionTrace
{
    /// <summary>
    /// On whose behalf a rule was asked: the request's GFP mask, without the __GFP_COMP that kmalloc
    /// adds for a large buffer (so kmem_alloc's own rules and the page allocator's, asked for the same
    /// buffer, share an asker), and whether kswapd asked.
    /// </summary>
    public readonly record struct Asker(Gfp Gfp, bool IsKswapd)
    {
        public static Asker Of(in HookContext c) => new(c.Request.Gfp & ~Gfp.COMP, c.Request.IsKswapd);
    }

    /// <summary>The answers one rule gave: per answer and asker, calls per virtual second since boot.</summary>
    public sealed class Tally(string hook, string kernelSite, PolicyType type, RuleOrigin? origin)
    {
        public string Hook { get; } = hook;
        /// <summary>Where the kernel asks this question (<see cref="HookDescriptor.KernelSite"/>).</summary>
        public string KernelSite { get; } = kernelSite;
        public PolicyType Type { get; } = type;
        public RuleOrigin? Origin { get; } = origin;
        /// <summary>One answer to one asker: calls per virtual second since boot, and the place of the first call.</summary>
        sealed class Counts(long firstCall)
        {
            public readonly List<long> PerSecond = [];
            public readonly long FirstCall = firstCall;
        }

        readonly Dictionary<(long Answer, Asker Asker), Counts> counts = [];

        internal void Add(long answer, Asker asker, long nowNs, long sequence)
        {
            if (!counts.TryGetValue((answer, asker), out var entry))
                counts[(answer, asker)] = entry = new Counts(sequence);
            var perSecond = entry.PerSecond;
            int second = (int)Math.Max(0, nowNs / 1_000_000_000);
            while (perSecond.Count <= second)
                perSecond.Add(0);
            perSecond[second]++;
        }

        /// <summary>
        /// Calls per answer between two times (virtual seconds since boot), answers in order; only
        /// those asked by whom <paramref name="askedBy"/> accepts, when given.
        /// </summary>
        public IReadOnlyList<(long Answer, long Calls)> Between(double fromS, double toS, Func<Asker, bool>? askedBy = null)
        {
            int from = (int)Math.Floor(fromS), to = (int)Math.Ceiling(toS);
            return counts
                .Where(kv => askedBy is null || askedBy(kv.Key.Asker))
                .GroupBy(kv => kv.Key.Answer)
                .Select(g => (Answer: g.Key, Calls: g.Sum(kv => kv.Value.PerSecond.Skip(from).Take(Math.Max(0, to - from)).Sum())))
                .Where(a => a.Calls > 0)
                .OrderBy(a => a.Answer)
                .ToList();
        }

        /// <summary>The askers this rule answered, each with its calls between two times.</summary>
        public IEnumerable<(Asker Asker, long Calls)> AskersBetween(double fromS, double toS) =>
            counts.Keys.Select(k => k.Asker).Distinct()
                .Select(a => (a, Between(fromS, toS, b => b == a).Sum(x => x.Calls))).Where(x => x.Item2 > 0);

        /// <summary>
        /// The place of this rule's first call by an asker <paramref name="askedBy"/> accepts in the
        /// run's sequence of calls, so rules can be listed in the order the kernel first asked them;
        /// null if never asked so.
        /// </summary>
        public long? FirstCall(Func<Asker, bool> askedBy) =>
            counts.Where(kv => askedBy(kv.Key.Asker)).Min(kv => (long?)kv.Value.FirstCall);

        /// <summary>
        /// The last virtual second from <paramref name="sinceS"/> up to <paramref name="fromS"/> in
        /// which the rule was asked (by whom <paramref name="askedBy"/> accepts, when given), and its
        /// answers in that second; null if it was not asked then.
        /// </summary>
        public (int Second, IReadOnlyList<(long Answer, long Calls)> Answers)? LastBefore(double fromS, double sinceS, Func<Asker, bool>? askedBy = null)
        {
            int seconds = counts.Values.Max(c => c.PerSecond.Count as int?) ?? 0;
            for (int second = Math.Min((int)Math.Floor(fromS), seconds) - 1; second >= Math.Max(0, (int)Math.Floor(sinceS)); second--)
                if (Between(second, second + 1, askedBy) is { Count: > 0 } answers)
                    return (second, answers);
            return null;
        }
    }

    readonly List<Tally> tallies = [];
    long calls;

    public IReadOnlyList<Tally> Tallies => tallies;

    /// <summary>A table that answers as <paramref name="table"/> does and records every answer.</summary>
    public PolicyTable Wrap(PolicyTable table)
    {
        var builder = new PolicyTableBuilder(table.PolicyName).WithLineage(table.Lineage);
        foreach (var hook in HookCatalog.All.Where(h => h.Section != PolicySection.Shrinker))
        {
            var tally = new Tally(hook.QualifiedName, hook.KernelSite, hook.Returns, table.OriginOf(hook.Id));
            tallies.Add(tally);
            builder.Set(hook.Id, Recording(table.GetHook(hook.Id), tally), table.OriginOf(hook.Id));
        }
        foreach (var section in table.ShrinkerSections)
        {
            var rules = new Dictionary<HookId, Delegate>();
            foreach (var (id, rule) in section.Rules)
            {
                var hook = HookCatalog.Get(id);
                var tally = new Tally($"shrinker \"{section.Pattern}\".{hook.Name}", hook.KernelSite, hook.Returns, section.Origins.GetValueOrDefault(id));
                tallies.Add(tally);
                rules[id] = Recording(rule, tally);
            }
            builder.AddShrinkerSection(section.Pattern, rules, section.Origins);
        }
        return builder.Build();
    }

    Delegate Recording(Delegate rule, Tally tally) => rule switch
    {
        PolicyHook<bool> b => Recording(b, tally, answer => answer ? 1 : 0),
        PolicyHook<long> n => Recording(n, tally, answer => answer),
        PolicyHook<ShrinkAction> a => Recording(a, tally, answer => (long)answer),
        PolicyHook<Gfp> g => Recording(g, tally, answer => (long)answer),
        _ => throw new ArgumentException($"no recorder for {rule.GetType().Name}", nameof(rule)),
    };

    PolicyHook<T> Recording<T>(PolicyHook<T> rule, Tally tally, Func<T, long> asNumber) => (in HookContext c) =>
    {
        T answer = rule(in c);
        tally.Add(asNumber(answer), Asker.Of(in c), c.Clock.Now, ++calls);
        return answer;
    };
}
