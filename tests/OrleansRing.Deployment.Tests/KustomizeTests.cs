using System.Globalization;
using k8s.Models;

namespace OrleansRing.Deployment.Tests;

/// <summary>The invariants of docs/deployment.md, checked on what every overlay actually renders to.</summary>
public sealed class KustomizeTests
{
    /// <summary>Azurite's published development key: the one credential allowed in a manifest (dev overlay only).</summary>
    private const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public static TheoryData<string> Overlays() => ["dev", "azure", "gpu"];

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Silo_CarriesOrleansLabels_AndTheDownwardApiEnvironment(string name)
    {
        var overlay = RenderedOverlay.Load(name);
        var template = overlay.Silo.Spec.Template;

        Assert.Equal("orleansring", template.Metadata.Labels["orleans/serviceId"]);
        Assert.Equal("orleansring", template.Metadata.Labels["orleans/clusterId"]);
        Assert.All(overlay.Silo.Spec.Selector.MatchLabels, l => Assert.Equal(l.Value, template.Metadata.Labels[l.Key]));
        var environment = overlay.Environment(overlay.SiloContainer);
        Assert.Equal("fieldRef:metadata.name", environment[DeploymentContract.PodNameVariable]);
        Assert.Equal("fieldRef:metadata.namespace", environment[DeploymentContract.PodNamespaceVariable]);
        Assert.Equal("fieldRef:status.podIP", environment[DeploymentContract.PodIpVariable]);
        Assert.Equal("fieldRef:metadata.labels['orleans/serviceId']", environment[DeploymentContract.ServiceIdVariable]);
        Assert.Equal("fieldRef:metadata.labels['orleans/clusterId']", environment[DeploymentContract.ClusterIdVariable]);
        Assert.Equal("azure-table", overlay.Setting(overlay.SiloContainer, "OrleansRing:Cluster:Clustering"));
        var ports = overlay.SiloContainer.Ports.ToDictionary(p => p.Name, p => p.ContainerPort);
        Assert.Equal(DeploymentContract.SiloPort, ports["silo"]);
        Assert.Equal(DeploymentContract.GatewayPort, ports["gateway"]);
        // The data plane listens on the configured port, which the pod declares, and its key comes from its own Secret.
        Assert.Equal(int.Parse(overlay.Setting(overlay.SiloContainer, DeploymentContract.DataPlanePortKey)!, CultureInfo.InvariantCulture), ports["ring-data"]);
        Assert.Equal("secretKeyRef:orleansring-ring/data-plane-key", overlay.Setting(overlay.SiloContainer, DeploymentContract.DataPlaneKeyKey));
        Assert.Contains(overlay.All<V1Secret>(), s => s.Metadata.Name == "orleansring-ring" && s.StringData?.ContainsKey("data-plane-key") == true);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Probes_HitTheSilosHealthEndpoints_OnItsHealthPort(string name)
    {
        var overlay = RenderedOverlay.Load(name);
        var container = overlay.SiloContainer;
        var healthPort = int.Parse(overlay.Setting(container, DeploymentContract.HealthPortKey)!, CultureInfo.InvariantCulture);

        Assert.Equal(healthPort, Assert.Single(container.Ports, p => p.Name == "health").ContainerPort);
        Assert.Equal(DeploymentContract.StartupPath, container.StartupProbe.HttpGet.Path);
        Assert.Equal(DeploymentContract.LivePath, container.LivenessProbe.HttpGet.Path);
        Assert.Equal(DeploymentContract.ReadyPath, container.ReadinessProbe.HttpGet.Path);
        foreach (var probe in new[] { container.StartupProbe, container.LivenessProbe, container.ReadinessProbe })
        {
            Assert.Equal("health", probe.HttpGet.Port.Value);
        }
        // Liveness must not restart a silo that is merely slow: several failures, well spaced.
        Assert.True(container.LivenessProbe.FailureThreshold * container.LivenessProbe.PeriodSeconds >= 30);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void GracePeriod_IsLongerThanTheSilosShutdownTimeout(string name)
    {
        var overlay = RenderedOverlay.Load(name);
        var shutdown = TimeSpan.Parse(overlay.Setting(overlay.SiloContainer, DeploymentContract.ShutdownTimeoutKey)!, CultureInfo.InvariantCulture);

        Assert.True(overlay.Silo.Spec.Template.Spec.TerminationGracePeriodSeconds > shutdown.TotalSeconds,
            $"grace {overlay.Silo.Spec.Template.Spec.TerminationGracePeriodSeconds} s, shutdown {shutdown.TotalSeconds} s");
        Assert.Equal("0", overlay.Silo.Spec.Strategy.RollingUpdate.MaxUnavailable.Value);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Pods_RunAsTheImagesNonRootUser_UnderADedicatedServiceAccount(string name)
    {
        var overlay = RenderedOverlay.Load(name);

        foreach (var pod in new[] { overlay.Silo.Spec.Template.Spec, overlay.SweepJob.Spec.Template.Spec })
        {
            Assert.True(pod.SecurityContext.RunAsNonRoot);
            Assert.Equal(DeploymentContract.AppUserId, pod.SecurityContext.RunAsUser);
            Assert.Equal("orleansring-silo", pod.ServiceAccountName);
            Assert.All(pod.Containers, c => Assert.False(c.SecurityContext.AllowPrivilegeEscalation));
        }
        var account = overlay.Single<V1ServiceAccount>("orleansring-silo");
        Assert.False(account.AutomountServiceAccountToken);
        Assert.All(overlay.Objects.Where(o => o is not V1Namespace), o => Assert.Equal(overlay.Objects.OfType<V1Namespace>().Single().Metadata.Name, o.Metadata.NamespaceProperty));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void DisruptionBudget_CoversTheSilos_OneAtATime(string name)
    {
        var overlay = RenderedOverlay.Load(name);
        var budget = Assert.Single(overlay.All<V1PodDisruptionBudget>());

        Assert.All(budget.Spec.Selector.MatchLabels, l => Assert.Equal(l.Value, overlay.Silo.Spec.Template.Metadata.Labels[l.Key]));
        Assert.Equal(1, budget.Spec.MaxUnavailable.Value is string text ? int.Parse(text, CultureInfo.InvariantCulture) : Convert.ToInt32(budget.Spec.MaxUnavailable.Value, CultureInfo.InvariantCulture));
        Assert.True(overlay.Silo.Spec.Replicas >= 2, "one silo per budget unit needs at least two silos");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void NoManifest_HoldsASecret_BeyondAzuritesPublicKeyInDev(string name)
    {
        var overlay = RenderedOverlay.Load(name);

        foreach (var secret in overlay.All<V1Secret>())
        {
            var values = (secret.StringData ?? new Dictionary<string, string>()).Values
                .Concat((secret.Data ?? new Dictionary<string, byte[]>()).Values.Select(System.Text.Encoding.UTF8.GetString));
            foreach (var value in values)
            {
                if (name == "dev" && value.Length > 0)
                {
                    Assert.Contains("AccountName=devstoreaccount1;", value);
                    Assert.Contains($"AccountKey={AzuriteKey};", value);
                    Assert.Contains("TableEndpoint=http://azurite:10002/devstoreaccount1", value);
                }
                else
                {
                    Assert.Equal("", value);
                }
            }
        }
        // Nor any ConfigMap or literal variable: keys and SAS tokens only ever come from a Secret.
        var literals = overlay.All<V1ConfigMap>().SelectMany(c => c.Data.Values)
            .Concat(overlay.All<V1Deployment>().SelectMany(d => d.Spec.Template.Spec.Containers).Concat(overlay.All<V1Job>().SelectMany(j => j.Spec.Template.Spec.Containers))
                .SelectMany(c => (c.Env ?? []).Select(e => e.Value ?? "").Concat(c.Args ?? [])));
        Assert.All(literals, text =>
        {
            Assert.DoesNotContain("AccountKey=", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("SharedAccessSignature=", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("sig=", text, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void NetworkPolicy_LetsOnlySilosReachTheRingPorts_AndOurPodsTheGateway(string name)
    {
        var overlay = RenderedOverlay.Load(name);
        var silo = overlay.Silo.Spec.Template.Metadata.Labels;
        var sweep = overlay.SweepJob.Spec.Template.Metadata.Labels;
        var collector = overlay.Deployment("otel-collector").Spec.Template.Metadata.Labels;
        var stranger = new Dictionary<string, string> { ["app"] = "anything-else" };
        var policy = Assert.Single(overlay.All<V1NetworkPolicy>(), p => NetworkPolicyModel.Selects(p, silo));
        var container = overlay.SiloContainer;
        var ports = container.Ports.ToDictionary(p => p.Name);
        bool Admits(IDictionary<string, string> source, string port) => NetworkPolicyModel.Admits(policy, source, container, ports[port]);

        foreach (var port in new[] { "silo", "ring-data" })
        {
            Assert.True(Admits(silo, port), $"silos must reach each other's {port} port");
            Assert.False(Admits(sweep, port), $"a client must not reach {port}");
            Assert.False(Admits(collector, port), $"the collector must not reach {port}");
            Assert.False(Admits(stranger, port), $"a foreign pod must not reach {port}");
        }
        Assert.True(Admits(sweep, "gateway"));
        Assert.False(Admits(stranger, "gateway"));
        // Probes come from the node, and the HTTP API on this port checks its own tokens.
        Assert.True(Admits(stranger, "health"));
        // A port the pod declares but no rule admits would be closed by accident.
        Assert.All(container.Ports, p => Assert.True(Admits(silo, p.Name) || Admits(sweep, p.Name), $"port {p.Name} is admitted to nobody"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Telemetry_GoesToTheInClusterCollector(string name)
    {
        var overlay = RenderedOverlay.Load(name);
        var service = overlay.Single<V1Service>("otel-collector");
        var collector = overlay.Deployment("otel-collector");

        var endpoint = new Uri(overlay.Setting(overlay.SiloContainer, "OTEL_EXPORTER_OTLP_ENDPOINT")!);
        Assert.Equal(service.Metadata.Name, endpoint.Host);
        Assert.Contains(service.Spec.Ports, p => p.Port == endpoint.Port);
        Assert.All(service.Spec.Selector, l => Assert.Equal(l.Value, collector.Spec.Template.Metadata.Labels[l.Key]));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void SweepJob_IsAClientOfTheCluster_WithItsSweepFileMounted(string name)
    {
        var overlay = RenderedOverlay.Load(name);
        var job = overlay.SweepJob;
        var container = Assert.Single(job.Spec.Template.Spec.Containers);

        Assert.Equal(["sweep", "run"], container.Args.Take(2));
        var file = container.Args[2];
        var cluster = container.Args[container.Args.IndexOf("--cluster") + 1];
        Assert.StartsWith("azure-table:$(CLUSTER_STORAGE)", cluster);
        Assert.Contains(container.Env, e => e.Name == "CLUSTER_STORAGE");
        var mount = Assert.Single(container.VolumeMounts, m => file.StartsWith(m.MountPath + "/", StringComparison.Ordinal));
        var volume = Assert.Single(job.Spec.Template.Spec.Volumes, v => v.Name == mount.Name);
        Assert.True(overlay.Single<V1ConfigMap>(volume.ConfigMap.Name).Data.ContainsKey(Path.GetFileName(file)));
        Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);
        // Its results folder (the working directory) is on a claim that outlives the pod, writable for the non-root user.
        var results = Assert.Single(container.VolumeMounts, m => m.MountPath == container.WorkingDir);
        var claim = Assert.Single(job.Spec.Template.Spec.Volumes, v => v.Name == results.Name).PersistentVolumeClaim;
        Assert.NotNull(claim);
        Assert.Equal(["ReadWriteOnce"], overlay.Single<V1PersistentVolumeClaim>(claim.ClaimName).Spec.AccessModes);
        Assert.Equal(job.Spec.Template.Spec.SecurityContext.RunAsUser, job.Spec.Template.Spec.SecurityContext.FsGroup);
        // The client image is the CPU silo image in every overlay: it trains nothing itself.
        Assert.Matches("(^|/)orleansring-silo(:|$)", container.Image);
    }

    [Theory]
    [InlineData("dev", false)]
    [InlineData("azure", false)]
    [InlineData("gpu", true)]
    public void GpuResources_OnlyInTheGpuOverlay_WithTheGpuPoolsSelectorAndTolerations(string name, bool gpu)
    {
        var overlay = RenderedOverlay.Load(name);
        var pod = overlay.Silo.Spec.Template.Spec;
        var container = overlay.SiloContainer;
        var limits = container.Resources.Limits ?? new Dictionary<string, ResourceQuantity>();

        Assert.Equal(gpu, limits.ContainsKey("nvidia.com/gpu"));
        if (!gpu)
        {
            Assert.Null(pod.Tolerations);
            Assert.DoesNotMatch("gpu", container.Image);
            return;
        }
        Assert.True(limits["nvidia.com/gpu"].ToInt32() >= 1);
        Assert.Equal(limits["nvidia.com/gpu"].ToInt32(), container.Resources.Requests["nvidia.com/gpu"].ToInt32());
        Assert.Equal("cuda", overlay.Setting(container, DeploymentContract.DeviceKey));
        Assert.Matches("(^|/)orleansring-silo-gpu(:|$)", container.Image);
        // The label and taint infra/main.bicep gives the GPU pool.
        Assert.Equal("gpu", pod.NodeSelector["orleansring/pool"]);
        Assert.Contains(pod.Tolerations, t => t.Key == "sku" && t.Value == "gpu" && t.Effect == "NoSchedule");
        Assert.Contains(BicepTests.GpuPool()["properties"]!["nodeLabels"]!.AsObject(), l => l.Key == "orleansring/pool" && (string?)l.Value == "gpu");
        Assert.Contains(BicepTests.GpuPool()["properties"]!["nodeTaints"]!.AsArray(), t => (string?)t == "sku=gpu:NoSchedule");
    }

    [Fact]
    public void Dev_RunsAzuriteInTheCluster_AndTheSilosUseIt()
    {
        var overlay = RenderedOverlay.Load("dev");
        var azurite = overlay.Single<V1Service>("azurite");

        Assert.Equal([10000, 10001, 10002], azurite.Spec.Ports.Select(p => p.Port).Order());
        Assert.Contains("azurite", overlay.Deployment("azurite").Spec.Template.Spec.Containers.Single().Image);
        Assert.Equal("cpu", overlay.Setting(overlay.SiloContainer, DeploymentContract.DeviceKey));
        Assert.Equal("azure:$(STORAGE_CONNECTION_STRING)", overlay.Setting(overlay.SiloContainer, DeploymentContract.ChunkStoreKey));
        Assert.Equal("secretKeyRef:orleansring-storage/connection-string", overlay.Environment(overlay.SiloContainer)["STORAGE_CONNECTION_STRING"]);
        // The HTTP API's tokens come from their own Secret, never from a literal.
        Assert.Equal("secretKeyRef:orleansring-api/tokens", overlay.Environment(overlay.SiloContainer)["ORLEANSRING_API_TOKENS"]);
    }

    [Theory]
    [InlineData("azure")]
    [InlineData("gpu")]
    public void Azure_ReachesStorageThroughWorkloadIdentity_WithoutAKey(string name)
    {
        var overlay = RenderedOverlay.Load(name);
        var account = overlay.Single<V1ServiceAccount>("orleansring-silo");

        Assert.True(Guid.TryParse(account.Metadata.Annotations["azure.workload.identity/client-id"], out _));
        Assert.Equal("true", overlay.Silo.Spec.Template.Metadata.Labels["azure.workload.identity/use"]);
        Assert.Equal("true", overlay.SweepJob.Spec.Template.Metadata.Labels["azure.workload.identity/use"]);
        Assert.StartsWith("https://", overlay.Setting(overlay.SiloContainer, DeploymentContract.TableServiceUriKey));
        Assert.StartsWith("azure:https://", overlay.Setting(overlay.SiloContainer, DeploymentContract.ChunkStoreKey));
        var sweep = overlay.Environment(overlay.SweepJob.Spec.Template.Spec.Containers.Single());
        Assert.StartsWith("https://", sweep["CLUSTER_STORAGE"]);
        // The federated credential of infra/main.bicep trusts exactly this namespace and service account.
        var subject = BicepTests.Template()["parameters"]!;
        Assert.Equal((string?)subject["kubernetesNamespace"]!["defaultValue"], account.Metadata.NamespaceProperty);
        Assert.Equal((string?)subject["serviceAccountName"]!["defaultValue"], account.Metadata.Name);
    }
}
