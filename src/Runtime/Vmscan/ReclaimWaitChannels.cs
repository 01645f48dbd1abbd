namespace Policyc.Runtime.Vmscan;

/// <summary>Where reclaim itself sleeps, named as /proc/PID/wchan would name it, with what it waits for.</summary>
public static class ReclaimWaitChannels
{
    /// <summary>shrink_inactive_list's congestion_wait(BLK_RW_ASYNC, HZ/10).</summary>
    public const string CongestionWait = "congestion_wait";

    /// <summary>What a task asleep in <paramref name="waitChannel"/> waits for; null for a channel not named here.</summary>
    public static string? WaitsFor(string waitChannel) => waitChannel switch
    {
        CongestionWait => "HZ/10 to pass: it met swap writes reclaim had started, still under writeback, in a zone flagged ZONE_WRITEBACK",
        _ => null,
    };
}
