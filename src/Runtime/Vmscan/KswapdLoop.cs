namespace Policyc.Runtime.Vmscan;

/// <summary>
/// kswapd() of Linux 3.13, the loop around balance_pgdat (scenario kswapd-loop). It keeps three
/// orders: <see cref="order"/>, what balance_pgdat is asked for; <see cref="newOrder"/>, the request
/// last taken from kswapd_max_order; and <see cref="balancedOrder"/>, what balance_pgdat returned
/// (0 once it fell back from a high order). Each has its classzone, here a position in the node's
/// zones. Only after a balance_pgdat that ended at the order and classzone last asked for does
/// kswapd read kswapd_max_order again; a higher order (or a lower classzone) waiting there starts
/// another balance_pgdat at once, and otherwise kswapd tries to sleep at balanced_order and
/// balanced_classzone_idx. Out of kswapd_try_to_sleep it balances for whatever was asked for
/// meanwhile, lower or higher than before. A balance_pgdat runs to its end across simulation steps.
/// </summary>
internal sealed partial class KswapdTask
{
    int newOrder, balancedOrder;
    int classzone = int.MaxValue, newClasszone = int.MaxValue, balancedClasszone = int.MaxValue;
    /// <summary>pgdat->classzone_idx: the classzone that came with kswapd_max_order; the highest zone when none did.</summary>
    int maxClasszone = int.MaxValue;
    /// <summary>The classzone balance_pgdat was called with: its loop ends on pgdat_balanced up to that zone.</summary>
    int balanceClasszone = int.MaxValue;
    /// <summary>balance_pgdat's end_zone, its *classzone_idx on return: 0 unless a pass found an unbalanced zone.</summary>
    int balanceEndZone;
    /// <summary>The last balance_pgdat ran to its end; false while one is under way and the next step goes on with it.</summary>
    bool balanceFinished = true;
    /// <summary>kswapd is in kswapd_try_to_sleep (napping or asleep). kswapd starts there at boot.</summary>
    bool inTryToSleep = true;

    int HighestPosition => zones.Length - 1;

    /// <summary>The position in this node's zones of an allocation's classzone (a zone type).</summary>
    int PositionOf(int zoneType)
    {
        int position = 0;
        for (int i = 0; i < zones.Length; i++)
            if (zones[i].Index <= zoneType)
                position = i;
        return position;
    }

    long StepLoop(long now)
    {
        if (inTryToSleep)
        {
            // After the nap, the second prepare_kswapd_sleep, which a premature nap fails.
            if (napping && !EndNap() && WantsSleep(balancedOrder, balancedClasszone))
            {
                FallAsleep(now);
                return Blocked;
            }
            LeaveTryToSleep();
        }

        if (balanceFinished)
            balanceClasszone = classzone;
        balancedOrder = Balance(order, resume: !balanceFinished);
        if (k.Scheduler.CurrentBlocked)
        {
            EnterDState(now);
            return Blocked; // in D state inside shrink_slab: balance_pgdat goes on when woken
        }
        if (congestionWaitOwedNs > 0)
            return CongestionWait(now); // balance_pgdat goes on when the wait ends
        if (!balanceFinished)
            return 0;
        balancedClasszone = balanceEndZone;

        // The top of kswapd()'s loop.
        if (balancedClasszone >= newClasszone && balancedOrder == newOrder)
        {
            newOrder = maxOrder;
            newClasszone = maxClasszone;
            maxOrder = 0;
            maxClasszone = HighestPosition;
        }
        if (order < newOrder || classzone > newClasszone)
        {
            order = newOrder;
            classzone = newClasszone;
            return 0;
        }
        inTryToSleep = true;
        if (WantsSleep(balancedOrder, balancedClasszone))
            return Nap(now);
        LeaveTryToSleep(); // prepare_kswapd_sleep said no before the nap
        return 0;
    }

    /// <summary>kswapd() as kswapd_try_to_sleep returns: order and classzone are what was asked for since.</summary>
    void LeaveTryToSleep()
    {
        order = newOrder = maxOrder;
        classzone = newClasszone = Math.Min(maxClasszone, HighestPosition);
        maxOrder = 0;
        maxClasszone = HighestPosition;
        inTryToSleep = false;
    }
}
