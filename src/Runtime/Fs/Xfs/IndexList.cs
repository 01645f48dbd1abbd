namespace Policyc.Runtime.Fs.Xfs;

/// <summary>
/// A FIFO list of indices threaded through links the caller keeps (list_lru order: oldest at the
/// head). The links are a struct type parameter, so each kind of list compiles to direct field access.
/// </summary>
internal struct IndexList
{
    public int Head;
    public int Tail;
    public long Count;

    public static IndexList Empty => new() { Head = -1, Tail = -1 };

    public void AddTail<TLinks>(TLinks links, int i) where TLinks : struct, IListLinks
    {
        links.Next(i) = -1;
        links.Prev(i) = Tail;
        if (Tail >= 0)
            links.Next(Tail) = i;
        else
            Head = i;
        Tail = i;
        Count++;
    }

    public void Remove<TLinks>(TLinks links, int i) where TLinks : struct, IListLinks
    {
        int p = links.Prev(i), n = links.Next(i);
        if (p >= 0)
            links.Next(p) = n;
        else
            Head = n;
        if (n >= 0)
            links.Prev(n) = p;
        else
            Tail = p;
        links.Next(i) = -1;
        links.Prev(i) = -1;
        Count--;
    }
}
