namespace Policyc.Runtime.Workload;

/// <summary>
/// A swap fault in progress: the slot the process touched and, while swap readahead is still reading
/// its window, the next slot of the window to read. Default when no fault is in progress.
/// </summary>
internal struct SwapFault
{
    public int Slot;
    public int Next;
    public int End;
}
