using Orleans.Configuration;

namespace OrleansRing.Hosting;

/// <summary>
/// Membership settings that declare a killed silo dead in a few seconds (about 2–5 s on loopback) rather than
/// Orleans' default of tens of seconds, so that a kill -9 recovery test sees the loss quickly. The cost is a
/// higher risk of evicting a live silo that is too starved to answer probes for ~2 s, which is why this is
/// opt-in (<see cref="ClusterConnectionOptions.FastFailureDetection"/>, flag <c>--fast-failure-detection</c>).
/// </summary>
public static class FastFailureDetection
{
    /// <summary>Initial probe timeout (Orleans default 5 s); the adaptive timeout then stays within 0.5–4 s.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Missed probes before a silo is suspected (default 3).</summary>
    public const int NumMissedProbesLimit = 2;

    /// <summary>Votes that declare a suspect dead (default 2): one prober suffices, indirect probes still guard it.</summary>
    public const int NumVotesForDeathDeclaration = 1;

    /// <summary>How often each silo rereads the membership table (default 60 s), for changes that gossip missed.</summary>
    public static readonly TimeSpan TableRefreshTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How often a client rereads the gateway list (default 60 s), to stop using a dead silo's gateway.</summary>
    public static readonly TimeSpan GatewayListRefreshPeriod = TimeSpan.FromSeconds(5);

    public static void Apply(ClusterMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ProbeTimeout = ProbeTimeout;
        options.NumMissedProbesLimit = NumMissedProbesLimit;
        options.NumVotesForDeathDeclaration = NumVotesForDeathDeclaration;
        options.TableRefreshTimeout = TableRefreshTimeout;
    }

    public static void Apply(GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.GatewayListRefreshPeriod = GatewayListRefreshPeriod;
    }
}
