using System.Text.RegularExpressions;
using OrleansRing.Api.Client;
using OrleansRing.TestInfrastructure;

namespace OrleansRing.Api.Tests;

/// <summary>The page in a real browser: it follows a sweep submitted through the API and shows its figures when done.</summary>
[Collection(ApiHostCollection.Name)]
public sealed partial class ApiPageTests(ApiHost host)
{
    [Fact]
    public async Task The_Page_ShowsASweep_Progressing_OverServerSentEvents_ThenItsFiguresAndSummary()
    {
        if (HeadlessChromium.Executable is null)
        {
            Assert.False(HeadlessChromium.Required, "ORLEANSRING_REQUIRE_CHROMIUM=1 but Chromium is not installed (apt-get install chromium).");
            Assert.Skip("Chromium is not installed (apt-get install chromium); the page was not checked.");
        }
        var ct = TestContext.Current.CancellationToken;
        using var api = new OrleansRingApiClient(host.BaseAddress, ApiHost.Token);
        // Long enough (seconds, not the fraction of one that 16 iterations take on a quiet machine) that the browser is
        // attached to the event stream before the sweep ends, so it can see it running.
        var submitted = await api.SubmitSweepAsync(SweepFiles.Tiny("page", iterations: 400), ct);

        // The browser opens the page while the sweep runs; the token travels in the fragment, never to the server.
        // Done when the page has decoded every figure of the report it was told about.
        var dom = await HeadlessChromium.WaitForDomAsync(
            new Uri(host.BaseAddress, $"#token={ApiHost.Token}&sweep={submitted.Id}").AbsoluteUri,
            "document.body.dataset.summaryRows && document.querySelectorAll('#figures img').length > 0 && document.body.dataset.figuresLoaded == document.querySelectorAll('#figures img').length",
            TimeSpan.FromMinutes(3),
            ct);

        var status = await api.GetStatusAsync(submitted.Id, ct);
        Assert.Equal("completed", status.State);
        Assert.Contains("data-state=\"completed\"", dom, StringComparison.Ordinal);
        // It saw the sweep running (a progress event with fewer than all done), then its end.
        Assert.Matches(ProgressWhileRunning(), dom);
        Assert.Contains("class=\"event-end\"", dom, StringComparison.Ordinal);
        // The listing has the sweep, and every figure of the report was fetched (with the token) and decoded.
        Assert.Contains($"data-id=\"{submitted.Id}\"", dom, StringComparison.Ordinal);
        Assert.Contains($"data-figures-loaded=\"{status.Figures.Count}\"", dom, StringComparison.Ordinal);
        Assert.Equal(status.Figures.Count, FigureImage().Matches(dom).Count);
        Assert.Contains("data-summary-rows=\"2\"", dom, StringComparison.Ordinal);
        Assert.Contains("final_test_accuracy", dom, StringComparison.Ordinal);
    }

    [GeneratedRegex("<li class=\"event-progress\" data-done=\"[01]\" data-total=\"2\" data-state=\"running\">")]
    private static partial Regex ProgressWhileRunning();

    [GeneratedRegex("<img alt=\"[^\"]+\\.png\" data-figure=\"[^\"]+\" src=\"blob:")]
    private static partial Regex FigureImage();
}
