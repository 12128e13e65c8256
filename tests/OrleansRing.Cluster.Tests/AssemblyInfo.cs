// Each test runs several CLI processes that train; run them one at a time on a small machine.
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]
