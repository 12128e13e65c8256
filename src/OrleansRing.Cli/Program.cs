using OrleansRing.Cli;

return await OrleansRingCommandLine.InvokeAsync(args);
