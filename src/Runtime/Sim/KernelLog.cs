namespace Policyc.Runtime.Sim;

/// <summary>
/// The kernel log as counts per distinct message (dmesg would print each line; the report wants how
/// many and how often). Messages are registered once and then counted without allocating.
/// </summary>
public sealed class KernelLog
{
    readonly List<string> texts = [];
    readonly List<long> counts = [];
    readonly Dictionary<string, int> ids = [];

    public int Register(string text)
    {
        if (ids.TryGetValue(text, out var id))
            return id;
        id = texts.Count;
        ids[text] = id;
        texts.Add(text);
        counts.Add(0);
        return id;
    }

    public void Print(int id) => counts[id]++;

    public void Print(string text) => Print(Register(text));

    public IReadOnlyList<string> Texts => texts;

    public long[] CopyCounts() => counts.ToArray();
}
