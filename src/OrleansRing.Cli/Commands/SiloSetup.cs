using Microsoft.Extensions.Hosting;
using OrleansRing.Hosting;
using OrleansRing.Training;

namespace OrleansRing.Cli.Commands;

/// <summary>What `orleansring silo` resolved from its settings before building the host: the builder (a web application when health endpoints are on), the HTTP API's settings when it is on, and what it logs.</summary>
internal sealed record SiloSetup(
    IHostApplicationBuilder Builder,
    ClusterConnectionOptions Cluster,
    HealthEndpointOptions Health,
    PodEnvironment Pod,
    IReadOnlyList<TrainingDevice> Devices,
    Api.ApiOptions? Api);
