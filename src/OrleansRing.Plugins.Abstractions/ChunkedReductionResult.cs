namespace OrleansRing.Plugins.Abstractions;

/// <summary>What <see cref="ChunkedReduction.Run"/> computed: the reduced vector, each round's whole-vector totals, and the flags raised.</summary>
public sealed record ChunkedReductionResult(float[] Result, IReadOnlyList<double[]> RoundTotals, IReadOnlyList<DefenceFlag> Flags);
