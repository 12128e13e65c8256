// ActivityListeners and MeterListeners are process-wide: a test that counts spans, or proves that nothing listens,
// must not share the process with another test's listeners.
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]
