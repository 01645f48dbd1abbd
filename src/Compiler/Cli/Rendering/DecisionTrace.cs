using Policyc.Runtime.Policy;

namespace Policyc.Cli.Rendering;

/// <summary>
/// <c>--explain</c>'s record of what the policy decided: every hook of a table is wrapped so that each
/// call counts its answer per virtual second. After the run, the counts over the livelock window say
/// which rule decided what while the machine was stuck ("gfp.may_compact: false in every call").
/// Only used with --explain: the wrapping costs a dictionary look-up per hook call.
/// </summary>
public sealed class DecisionTrace
{
    /// <summary>The answers one rule gave: per answer, calls per virtual second since boot.</summary>
    public sealed class Tally(string hook, PolicyType type, RuleOrigin? origin)
    {
        public string Hook { get; } = hook;
        public PolicyType Type { get; } = type;
        public RuleOrigin? Origin { get; } = origin;
        internal readonly Dictionary<long, List<long>> CallsBySecond = [];

        internal void Add(long answer, long nowNs)
        {
            if (!CallsBySecond.TryGetValue(answer, out var perSecond))
                CallsBySecond[answer] = perSecond = [];
            int second = (int)Math.Max(0, nowNs / 1_000_000_000);
            while (perSecond.Count <= second)
                perSecond.Add(0);
            perSecond[second]++;
        }

        /// <summary>Calls per answer between two times (virtual seconds since boot), answers in order.</summary>
        public IReadOnlyList<(long Answer, long Calls)> Between(double fromS, double toS)
        {
            int from = (int)Math.Floor(fromS), to = (int)Math.Ceiling(toS);
            return CallsBySecond
                .Select(kv => (Answer: kv.Key, Calls: kv.Value.Skip(from).Take(Math.Max(0, to - from)).Sum()))
                .Where(a => a.Calls > 0)
                .OrderBy(a => a.Answer)
                .ToList();
        }

        /// <summary>
        /// The last virtual second from <paramref name="sinceS"/> up to <paramref name="fromS"/> in
        /// which the rule was asked, and its answers in that second; null if it was not asked then.
        /// </summary>
        public (int Second, IReadOnlyList<(long Answer, long Calls)> Answers)? LastBefore(double fromS, double sinceS)
        {
            int seconds = CallsBySecond.Values.Max(perSecond => perSecond.Count as int?) ?? 0;
            for (int second = Math.Min((int)Math.Floor(fromS), seconds) - 1; second >= Math.Max(0, (int)Math.Floor(sinceS)); second--)
                if (Between(second, second + 1) is { Count: > 0 } answers)
                    return (second, answers);
            return null;
        }
    }

    readonly List<Tally> tallies = [];

    public IReadOnlyList<Tally> Tallies => tallies;

    /// <summary>A table that answers as <paramref name="table"/> does and records every answer.</summary>
    public PolicyTable Wrap(PolicyTable table)
    {
        var builder = new PolicyTableBuilder(table.PolicyName).WithLineage(table.Lineage);
        foreach (var hook in HookCatalog.All.Where(h => h.Section != PolicySection.Shrinker))
        {
            var tally = new Tally(hook.QualifiedName, hook.Returns, table.OriginOf(hook.Id));
            tallies.Add(tally);
            builder.Set(hook.Id, Recording(table.GetHook(hook.Id), tally), table.OriginOf(hook.Id));
        }
        foreach (var section in table.ShrinkerSections)
        {
            var rules = new Dictionary<HookId, Delegate>();
            foreach (var (id, rule) in section.Rules)
            {
                var hook = HookCatalog.Get(id);
                var tally = new Tally($"shrinker \"{section.Pattern}\".{hook.Name}", hook.Returns, section.Origins.GetValueOrDefault(id));
                tallies.Add(tally);
                rules[id] = Recording(rule, tally);
            }
            builder.AddShrinkerSection(section.Pattern, rules, section.Origins);
        }
        return builder.Build();
    }

    static Delegate Recording(Delegate rule, Tally tally) => rule switch
    {
        PolicyHook<bool> b => Recording(b, tally, answer => answer ? 1 : 0),
        PolicyHook<long> n => Recording(n, tally, answer => answer),
        PolicyHook<ShrinkAction> a => Recording(a, tally, answer => (long)answer),
        PolicyHook<Gfp> g => Recording(g, tally, answer => (long)answer),
        _ => throw new ArgumentException($"no recorder for {rule.GetType().Name}", nameof(rule)),
    };

    static PolicyHook<T> Recording<T>(PolicyHook<T> rule, Tally tally, Func<T, long> asNumber) => (in HookContext c) =>
    {
        T answer = rule(in c);
        tally.Add(asNumber(answer), c.Clock.Now);
        return answer;
    };
}
