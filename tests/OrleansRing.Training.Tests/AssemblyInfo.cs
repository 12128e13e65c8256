// Bitwise comparisons assume the intra-op thread count does not change mid-test, and the throughput
// test changes it; two shared cores gain nothing from parallel tests anyway.
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]
