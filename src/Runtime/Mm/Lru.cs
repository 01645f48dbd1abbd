namespace Policyc.Runtime.Mm;

/// <summary>The four evictable LRU lists of a zone's lruvec, numbered as enum lru_list.</summary>
public enum Lru
{
    InactiveAnon = 0,
    ActiveAnon = 1,
    InactiveFile = 2,
    ActiveFile = 3,
}

public static class LruExtensions
{
    public static bool IsFile(this Lru lru) => lru >= Lru.InactiveFile;
    public static bool IsActive(this Lru lru) => ((int)lru & 1) == 1;
    public static Lru Of(bool file, bool active) => (Lru)((file ? 2 : 0) + (active ? 1 : 0));
}
