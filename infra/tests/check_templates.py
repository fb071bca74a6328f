#!/usr/bin/env python3
"""Checks the compiled infrastructure against the rules in issue 6, one line per check.

Usage: check_templates.py REPO_ROOT COMPILED_MAIN_JSON
Prints "PASS name", "FAIL name: why" or "SKIP name: why" per check, then "counts P F S" on the last line.
Runs offline on the ARM JSON that `bicep build` produced, so it checks what would really be deployed.
"""
from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any, Callable, Iterator

# ---- Drift allow-lists. Every name here is a deliberate difference between Azure and the local sample. ----

# Keys that only make sense locally; the Functions app in Azure must not have them.
LOCAL_ONLY_KEYS = {
    "Azure__PinnedCertificatePath",  # PEM of the local emulator's TLS certificate; Azure uses public CAs.
    "Azure__ResourceManagerEndpoint",  # emulator ARM endpoint; in Azure it follows from Azure__Cloud.
    "Azure__ResourceManagerAudience",  # emulator token audience; in Azure it follows from Azure__Cloud.
    "FUNCTIONS_WORKER_RUNTIME",  # Core Tools needs it; Flex Consumption refuses it (runtime is in functionAppConfig).
    "Callbacks__AllowedLocalHosts",  # loopback/private callback targets are allowed only in local mode.
}
# Key prefixes that only exist locally.
LOCAL_ONLY_PREFIXES = (
    "IDENTITY_",  # IDENTITY_ENDPOINT/IDENTITY_HEADER point credentials at the emulator's token endpoint.
    "Callbacks__AllowedLocalHosts__",  # list items of Callbacks:AllowedLocalHosts.
)
# Platform settings that only exist in Azure: telemetry with an Entra token (no instrumentation key locally).
AZURE_ONLY_KEYS = {
    "APPLICATIONINSIGHTS_CONNECTION_STRING",
    "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
}
# Locally the host storage is one connection string (Azurite); in Azure it is identity-based, spread over
# AzureWebJobsStorage__* settings. These are the identity settings Azure must have instead.
STORAGE_CONNECTION_KEY = "AzureWebJobsStorage"
STORAGE_IDENTITY_REQUIRED = {"AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId"}
STORAGE_IDENTITY_ENDPOINTS = (
    {"AzureWebJobsStorage__accountName"},
    {
        "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__queueServiceUri",
        "AzureWebJobsStorage__tableServiceUri",
    },
)

# App settings that Flex Consumption rejects or that would bypass identity-based storage.
FORBIDDEN_APP_SETTINGS = {
    "FUNCTIONS_WORKER_RUNTIME",
    "FUNCTIONS_EXTENSION_VERSION",
    "WEBSITE_RUN_FROM_PACKAGE",
    "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
    "WEBSITE_CONTENTSHARE",
    "AzureWebJobsStorage",
    "APPINSIGHTS_INSTRUMENTATIONKEY",
}
# Settings that hold secrets: they must be Key Vault references, never values.
SECRET_APP_SETTINGS = ("Callbacks__SigningKeys__", "Webhooks__SigningSecret", "Webhooks__PreviousSigningSecret")

# Least privilege, as a snapshot: module (deployment name) -> the only roles it may grant.
EXPECTED_ROLES = {
    "storage-access": {"storageBlobDataOwner", "storageQueueDataContributor", "storageTableDataContributor"},
    "keyvault-access": {"keyVaultSecretsOfficer"},
    "monitoring-access": {"monitoringMetricsPublisher"},
    "target-resource-group-access": {"virtualMachineContributor", "networkContributor"},
}
# Owner, Contributor, User Access Administrator, Role Based Access Control Administrator.
FORBIDDEN_ROLE_IDS = {
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "b24988ac-6180-42a0-ab88-20f7382dd24c",
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
}

AZD_ENV_REFERENCE = re.compile(r"^\$\{[A-Z][A-Z0-9_]*(=[^}]*)?\}$")
UPPER_SNAKE = re.compile(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")


class Report:
    def __init__(self) -> None:
        self.passed = self.failed = self.skipped = 0

    def run(self, name: str, check: Callable[[], str | None]) -> None:
        """A check returns None when it passes, 'SKIP: why' to skip, or raises AssertionError with the reason."""
        try:
            outcome = check()
        except AssertionError as error:
            self.failed += 1
            print(f"FAIL {name}: {error}")
            return
        if outcome and outcome.startswith("SKIP"):
            self.skipped += 1
            print(f"SKIP {name}: {outcome[5:].strip()}")
        else:
            self.passed += 1
            print(f"PASS {name}")


def resources(template: dict[str, Any]) -> Iterator[dict[str, Any]]:
    items = template.get("resources", [])
    yield from (items.values() if isinstance(items, dict) else items)


def deployments(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in resources(template) if r["type"] == "Microsoft.Resources/deployments"}


def find(template: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    """Every resource of a type, nested module templates included."""
    found = []
    for r in resources(template):
        if r["type"] == resource_type and not r.get("existing"):
            found.append(r)
        if r["type"] == "Microsoft.Resources/deployments":
            found.extend(find(r["properties"]["template"], resource_type))
    return found


def one(template: dict[str, Any], resource_type: str) -> dict[str, Any]:
    found = find(template, resource_type)
    assert len(found) == 1, f"expected one {resource_type}, found {len(found)}"
    return found[0]


def app_settings(main: dict[str, Any]) -> dict[str, Any]:
    configs = [c for c in find(main, "Microsoft.Web/sites/config") if "appsettings" in c["name"]]
    assert len(configs) == 1, f"expected one sites/config 'appsettings' resource, found {len(configs)}"
    settings = configs[0]["properties"]
    assert isinstance(settings, dict), "app settings must be a literal object so that their names can be checked"
    return settings


def sample_keys(sample_path: Path) -> set[str]:
    values = json.loads(sample_path.read_text())["Values"]
    return {key.replace(":", "__") for key in values}


def settings_drift(bicep_keys: set[str], sample: set[str]) -> list[str]:
    """Differences between the Azure app settings and the local sample that no allow-list explains."""
    problems = []
    local_only = {k for k in sample if k in LOCAL_ONLY_KEYS or k.startswith(LOCAL_ONLY_PREFIXES)}
    leaked = sorted(k for k in bicep_keys if k in LOCAL_ONLY_KEYS or k.startswith(LOCAL_ONLY_PREFIXES))
    if leaked:
        problems.append(f"local-only keys in Azure: {leaked}")

    comparable_sample = sample - local_only
    comparable_bicep = bicep_keys - AZURE_ONLY_KEYS
    identity_storage = {k for k in comparable_bicep if k.startswith(STORAGE_CONNECTION_KEY + "__")}
    if STORAGE_CONNECTION_KEY in comparable_sample:
        comparable_sample.discard(STORAGE_CONNECTION_KEY)
        missing = STORAGE_IDENTITY_REQUIRED - identity_storage
        if missing:
            problems.append(f"identity storage settings missing in Azure: {sorted(missing)}")
        if not any(endpoints <= identity_storage for endpoints in STORAGE_IDENTITY_ENDPOINTS):
            problems.append("Azure storage settings name no account (accountName or the three service URIs)")
        comparable_bicep -= identity_storage
    elif identity_storage:
        problems.append("Azure has AzureWebJobsStorage__* but the sample has no AzureWebJobsStorage")

    only_sample = sorted(comparable_sample - comparable_bicep)
    only_bicep = sorted(comparable_bicep - comparable_sample)
    if only_sample:
        problems.append(f"in local.settings.sample.json but not in Bicep: {only_sample}")
    if only_bicep:
        problems.append(f"in Bicep but not in local.settings.sample.json: {only_bicep}")
    return problems


def main() -> int:
    root, compiled = Path(sys.argv[1]), Path(sys.argv[2])
    main_template = json.loads(compiled.read_text())
    infra = root / "infra"
    sample_path = Path(os.environ.get("INFRA_SETTINGS_SAMPLE", root / "local.settings.sample.json"))
    report = Report()

    def linter_rules_not_weakened() -> None:
        rules = json.loads((infra / "bicepconfig.json").read_text())["analyzers"]["core"]["rules"]
        weak = sorted(name for name, rule in rules.items() if rule.get("level") not in ("warning", "error"))
        assert not weak, f"rules below warning level: {weak}"

    def target_scope_is_subscription() -> None:
        assert "subscriptionDeploymentTemplate" in main_template["$schema"], main_template["$schema"]

    def parameters_map_only_azd_environment() -> None:
        parameters = json.loads((infra / "main.parameters.json").read_text())["parameters"]
        declared = main_template["parameters"]
        not_env = sorted(k for k, v in parameters.items() if not AZD_ENV_REFERENCE.match(str(v.get("value"))))
        unknown = sorted(set(parameters) - set(declared))
        required = sorted(k for k, v in declared.items() if "defaultValue" not in v and k not in parameters)
        assert not not_env, f"values that are not azd environment references: {not_env}"
        assert not unknown, f"parameters main.bicep does not declare: {unknown}"
        assert not required, f"required parameters with no value: {required}"

    def outputs_are_upper_snake() -> None:
        bad = sorted(k for k in main_template["outputs"] if not UPPER_SNAKE.match(k))
        assert not bad, f"outputs azd cannot map: {bad}"

    def outputs_carry_no_secrets() -> None:
        text = json.dumps(main_template["outputs"])
        assert "Seed" not in text and "listKeys" not in text and "listSecrets" not in text, "an output exposes a secret"

    def app_settings_match_local_sample() -> str | None:
        if not sample_path.is_file():
            raise AssertionError(f"{sample_path} is missing: the drift test has nothing to compare with")
        problems = settings_drift(set(app_settings(main_template)), sample_keys(sample_path))
        assert not problems, "; ".join(problems)
        return None

    def drift_check_catches_a_removed_key() -> str | None:
        # The comparison itself must notice a one-key difference in either direction.
        if not sample_path.is_file():
            return "SKIP no local.settings.sample.json"
        bicep_keys, sample = set(app_settings(main_template)), sample_keys(sample_path)
        probe = next(k for k in sorted(bicep_keys) if k.startswith(("TaskHubName", "Azure__", "Provisioning__")))
        assert settings_drift(bicep_keys - {probe}, sample), "dropping a key from Bicep went unnoticed"
        assert settings_drift(bicep_keys, sample | {"Provisioning__Unknown"}), "an extra sample key went unnoticed"
        return None

    def app_settings_name_options_the_app_binds() -> str | None:
        # Each Section__Property setting must match a property of the options class whose SectionName is Section;
        # a plain name must appear in host.json as %Name% (binding expression). Catches a typo made in both files.
        sources = [p for p in (root / "src").rglob("*.cs") if "obj" not in p.parts and "bin" not in p.parts]
        if not sources:
            return "SKIP no sources under src/"
        texts = [p.read_text(errors="replace") for p in sources]
        host_json = (root / "host.json").read_text() if (root / "host.json").is_file() else ""
        unbound = []
        for key in sorted(app_settings(main_template)):
            if key.startswith(STORAGE_CONNECTION_KEY + "__") or key in AZURE_ONLY_KEYS:
                continue  # read by the Functions host and the platform, not by our code
            if "__" in key:
                section, prop = key.split("__")[:2]
                declares = re.compile(rf"\bpublic\s+[\w<>?,\s\[\]]+\s{re.escape(prop)}\s*\{{")
                if not any(f'SectionName = "{section}"' in t and declares.search(t) for t in texts):
                    unbound.append(key)
            elif f"%{key}%" not in host_json:
                unbound.append(key)
        assert not unbound, f"settings no options class or host.json reads: {unbound}"
        return None

    def no_forbidden_app_settings() -> None:
        present = sorted(FORBIDDEN_APP_SETTINGS & set(app_settings(main_template)))
        assert not present, f"settings Flex Consumption rejects or that bypass identity storage: {present}"

    def secrets_are_key_vault_references() -> None:
        settings = app_settings(main_template)
        secret_keys = [k for k in settings if k.startswith(SECRET_APP_SETTINGS)]
        assert secret_keys, "no signing-secret settings found"
        plain = [k for k in secret_keys if not str(settings[k]).startswith("[format('@Microsoft.KeyVault(SecretUri=")]
        assert not plain, f"secrets that are not Key Vault references: {plain}"
        site = one(main_template, "Microsoft.Web/sites")
        identity = site["properties"].get("keyVaultReferenceIdentity", "")
        assert identity == "[parameters('identityId')]", f"keyVaultReferenceIdentity is {identity!r}, not the UAMI"
        assert site["identity"]["type"] == "UserAssigned", "the app must run as its user-assigned identity"

    def function_app_is_flex_dotnet_isolated() -> str | None:
        plan = one(main_template, "Microsoft.Web/serverfarms")
        assert plan["sku"] == {"name": "FC1", "tier": "FlexConsumption"}, f"plan sku {plan['sku']}"
        config = one(main_template, "Microsoft.Web/sites")["properties"]["functionAppConfig"]
        assert config["runtime"]["name"] == "dotnet-isolated", config["runtime"]
        storage = config["deployment"]["storage"]
        assert storage["type"] == "blobContainer", storage
        assert storage["authentication"]["type"] == "UserAssignedIdentity", storage["authentication"]
        return None

    def runtime_version_matches_project() -> str | None:
        api = deployments(main_template)["api"]["properties"]["template"]
        version = api["parameters"]["dotnetVersion"]["defaultValue"]
        project = root / "src" / "DockerVm.Functions" / "DockerVm.Functions.csproj"
        if not project.is_file():
            return "SKIP src/DockerVm.Functions/DockerVm.Functions.csproj not there yet"
        frameworks = re.findall(r"<TargetFramework>net(\d+\.\d+)</TargetFramework>", project.read_text())
        if not frameworks:  # the repo-wide Directory.Build.props sets it
            frameworks = re.findall(r"<TargetFramework>net(\d+\.\d+)</TargetFramework>",
                                    (root / "Directory.Build.props").read_text())
        assert frameworks == [version], f"Flex runtime {version} but the project targets {frameworks}"
        return None

    def storage_is_identity_only() -> None:
        props = one(main_template, "Microsoft.Storage/storageAccounts")["properties"]
        assert props["allowSharedKeyAccess"] is False, "shared key access is enabled"
        assert props["allowBlobPublicAccess"] is False, "public blob access is enabled"
        assert props["minimumTlsVersion"] == "TLS1_2", props["minimumTlsVersion"]

    def key_vault_is_rbac_and_purge_protected() -> None:
        props = one(main_template, "Microsoft.KeyVault/vaults")["properties"]
        assert props["enableRbacAuthorization"] is True, "access policies instead of RBAC"
        assert props["enableSoftDelete"] is True, "soft delete is off"
        assert props["enablePurgeProtection"] is True, "purge protection is off"

    def roles_are_least_privilege() -> None:
        text = json.dumps(main_template)
        forbidden = sorted(r for r in FORBIDDEN_ROLE_IDS if r in text)
        assert not forbidden, f"privileged roles referenced: {forbidden}"
        top_level = [r for r in resources(main_template) if r["type"] == "Microsoft.Authorization/roleAssignments"]
        assert not top_level, "role assignments at subscription scope"
        modules = deployments(main_template)
        granted = {}
        for name, module in modules.items():
            value = module["properties"].get("parameters", {}).get("roleAssignments")
            if value is not None:
                granted[name] = set(re.findall(r"builtInRoles'\)\.(\w+)", json.dumps(value)))
                literal_ids = re.findall(r'"roleDefinitionId": "([0-9a-f-]{36})"', json.dumps(value))
                assert not literal_ids, f"{name}: literal role ids {literal_ids}; use builtInRoles"
        assert granted == EXPECTED_ROLES, f"granted {granted}, expected {EXPECTED_ROLES}"

    def vm_roles_are_scoped_to_target_group() -> None:
        module = deployments(main_template)["target-resource-group-access"]
        assert module.get("resourceGroup") == "[variables('vmResourceGroupName')]", (
            f"VM/network roles deployed to {module.get('resourceGroup')!r}, not the target resource group")
        assert "subscriptionId" not in module, "the target group must be in this subscription"

    def azure_yaml_deploys_the_functions_project() -> None:
        text = (root / "azure.yaml").read_text()
        try:
            import yaml  # PyYAML when present; the regexes below are the fallback.
            services = yaml.safe_load(text)["services"]
        except ImportError:
            services = {m[0]: {"project": m[1]} for m in re.findall(r"\n  (\w+):\n    project: (\S+)", text)}
            for key in ("language", "host"):
                for m in re.finditer(rf"\n    {key}: (\S+)", text):
                    next(iter(services.values()))[key] = m[1]
        assert list(services) == ["api"], f"services {list(services)}; main.bicep tags the app as 'api'"
        api = services["api"]
        assert api.get("host") == "function" and api.get("language") == "dotnet", api
        project = (root / api["project"]).resolve()
        assert project == (root / "src" / "DockerVm.Functions").resolve(), f"project {api['project']}"
        assert main_template["variables"]["serviceName"] == "api", "azd-service-name tag does not match azure.yaml"

    checks: list[tuple[str, Callable[[], str | None]]] = [
        ("linter rules are all at warning or error", linter_rules_not_weakened),
        ("main.bicep targets the subscription", target_scope_is_subscription),
        ("main.parameters.json maps only azd environment values", parameters_map_only_azd_environment),
        ("outputs are UPPER_SNAKE for azd", outputs_are_upper_snake),
        ("outputs carry no secrets", outputs_carry_no_secrets),
        ("app settings match local.settings.sample.json (drift)", app_settings_match_local_sample),
        ("drift check catches a one-key difference", drift_check_catches_a_removed_key),
        ("every app setting is read by an options class or host.json", app_settings_name_options_the_app_binds),
        ("no app settings that Flex Consumption rejects", no_forbidden_app_settings),
        ("signing secrets are Key Vault references resolved by the UAMI", secrets_are_key_vault_references),
        ("function app is Flex Consumption, dotnet-isolated, identity deployment", function_app_is_flex_dotnet_isolated),
        ("Flex runtime version matches the Functions project's target framework", runtime_version_matches_project),
        ("storage accepts identities only", storage_is_identity_only),
        ("Key Vault uses RBAC, soft delete and purge protection", key_vault_is_rbac_and_purge_protected),
        ("roles are least privilege (snapshot), none at subscription scope", roles_are_least_privilege),
        ("VM and network roles are scoped to the target resource group", vm_roles_are_scoped_to_target_group),
        ("azure.yaml deploys src/DockerVm.Functions as a function app", azure_yaml_deploys_the_functions_project),
    ]
    for name, check in checks:
        report.run(name, check)
    print(f"counts {report.passed} {report.failed} {report.skipped}")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
