namespace Policyc.Runtime.Fs.Xfs;

/// <summary>A FIFO list of file indices threaded through shared next/prev arrays (list_lru order: oldest at the head).</summary>
internal struct IndexList
{
    public int Head;
    public int Tail;
    public long Count;

    public static IndexList Empty => new() { Head = -1, Tail = -1 };

    public void AddTail(int[] next, int[] prev, int i)
    {
        next[i] = -1;
        prev[i] = Tail;
        if (Tail >= 0)
            next[Tail] = i;
        else
            Head = i;
        Tail = i;
        Count++;
    }

    public void Remove(int[] next, int[] prev, int i)
    {
        int p = prev[i], n = next[i];
        if (p >= 0)
            next[p] = n;
        else
            Head = n;
        if (n >= 0)
            prev[n] = p;
        else
            Tail = p;
        next[i] = prev[i] = -1;
        Count--;
    }
}
