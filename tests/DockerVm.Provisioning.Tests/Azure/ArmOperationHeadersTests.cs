using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Tests.Infrastructure;

namespace DockerVm.Provisioning.Tests.Azure;

/// <summary>What the first response of a PUT or DELETE says about its operation ("Track asynchronous Azure
/// operations", Microsoft Learn: Azure-AsyncOperation when present, Location only without it, Retry-After in seconds,
/// a terminal or missing provisioningState means finished).</summary>
public sealed class ArmOperationHeadersTests
{
    private const string Id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/n";
    private const string Status = "https://management.azure.com/subscriptions/s/providers/Microsoft.Network/locations/westeurope/operations/1?api-version=2024-05-01";
    private const string Result = "https://management.azure.com/subscriptions/s/providers/Microsoft.Network/locations/westeurope/operationResults/1?api-version=2024-05-01";

    [Fact]
    public void Handle_201WithAzureAsyncOperationAndRetryAfter_KeepsTheStatusUrlAndTheWait()
    {
        var response = new TestResponse(201, """{"properties":{"provisioningState":"Updating"}}""", ("Azure-AsyncOperation", Status), ("Retry-After", "10"));

        var handle = ArmOperationHeaders.Handle(Id, response);

        Assert.Equal(Status, handle.StatusUrl);
        Assert.Null(handle.ResultUrl);
        Assert.Equal(TimeSpan.FromSeconds(10), handle.RetryAfter);
        Assert.False(handle.Done);
    }

    [Fact]
    public void Handle_202DeleteWithBothUrls_KeepsBothAndIsADeletion()
    {
        var response = new TestResponse(202, null, ("Azure-AsyncOperation", Status), ("Location", Result));

        var handle = ArmOperationHeaders.Handle(Id, response, isDelete: true);

        Assert.Equal((Status, Result, true, false), (handle.StatusUrl, handle.ResultUrl, handle.IsDelete, handle.Done));
    }

    [Theory]
    [InlineData(200, """{"properties":{"provisioningState":"Succeeded"}}""")]
    [InlineData(200, """{"properties":{}}""")]
    [InlineData(204, null)]
    public void Handle_NoOperationHeaders_DoneWithoutAnyCheck(int status, string? body)
    {
        Assert.True(ArmOperationHeaders.Handle(Id, new TestResponse(status, body)).Done);
    }

    [Fact]
    public void Handle_BodyAlreadySucceeded_DoneDespiteTheOperationHeader()
    {
        var response = new TestResponse(200, """{"properties":{"provisioningState":"Succeeded"}}""", ("Azure-AsyncOperation", Status));

        Assert.True(ArmOperationHeaders.Handle(Id, response).Done);
    }

    [Fact]
    public void RetryAfter_MillisecondHeader_PreferredOverSeconds()
    {
        var response = new TestResponse(202, null, ("retry-after-ms", "1500"), ("Retry-After", "3"));

        Assert.Equal(TimeSpan.FromMilliseconds(1500), ArmOperationHeaders.RetryAfter(response));
    }

    [Fact]
    public void RetryAfter_HttpDate_CountedFromTheResponsesDate()
    {
        var response = new TestResponse(202, null, ("Retry-After", "Wed, 21 Oct 2026 07:28:30 GMT"), ("Date", "Wed, 21 Oct 2026 07:28:00 GMT"));

        Assert.Equal(TimeSpan.FromSeconds(30), ArmOperationHeaders.RetryAfter(response));
    }

    [Fact]
    public void RetryAfter_Absent_Null()
    {
        Assert.Null(ArmOperationHeaders.RetryAfter(new TestResponse(202)));
    }

    [Fact]
    public void ReadStatus_FailedOperation_CarriesItsCodeAndAShortenedMessage()
    {
        var message = "VM has reported a failure when processing extension 'docker'. Error message: " + new string('x', 900);
        var body = new System.Text.Json.Nodes.JsonObject
        {
            ["status"] = "Failed",
            ["error"] = new System.Text.Json.Nodes.JsonObject { ["code"] = "VMExtensionProvisioningError", ["message"] = message },
        };
        var response = new TestResponse(200, body.ToJsonString());

        var state = ArmOperationStatusClient.ReadStatus(response);

        Assert.True(state.IsFailed);
        Assert.Equal("VMExtensionProvisioningError", state.ErrorCode);
        Assert.Equal(500, state.ErrorMessage!.Length);
        Assert.StartsWith("VM has reported a failure", state.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadStatus_InProgressWithRetryAfter_NotTerminalAndAsksToWait()
    {
        var state = ArmOperationStatusClient.ReadStatus(new TestResponse(200, """{"status":"InProgress"}""", ("Retry-After", "5")));

        Assert.False(state.IsTerminal);
        Assert.Equal(TimeSpan.FromSeconds(5), state.RetryAfter);
    }
}
