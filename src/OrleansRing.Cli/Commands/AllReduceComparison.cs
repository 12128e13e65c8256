namespace OrleansRing.Cli.Commands;

/// <summary>`bench allreduce --compare`: the same ring with persistence off and with a mode; <see cref="Ratio"/> = mode ÷ off of the median seconds.</summary>
public sealed record AllReduceComparison(AllReduceFigures Off, AllReduceFigures Mode, double Ratio);
