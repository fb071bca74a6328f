"""The Python Azure SDK (Debian's python3-azure) against the DockerVm emulator, as a user's script would use it.

Run by PythonSdkTests with /usr/bin/python3. Configuration comes from the environment, exactly the variables a
real App Service process has (IDENTITY_ENDPOINT, IDENTITY_HEADER) plus REQUESTS_CA_BUNDLE for the emulator's
certificate and DOCKERVM_* for what to look at. Prints one JSON document on stdout; never prints a token.

Modes (first argument):
  tour   list and show the VM, show the public IP, create a public IP (long-running PUT, polled), delete it
         (long-running DELETE), read the secret.
  token  only ask the managed-identity credential for an ARM token (to prove a wrong header is refused).
"""

import json
import os
import sys

from azure.core.exceptions import ClientAuthenticationError, ResourceNotFoundError
from azure.identity import ManagedIdentityCredential


def env(name):
    value = os.environ.get(name)
    if not value:
        raise SystemExit(f"missing environment variable {name}")
    return value


def arm_clients(credential, endpoint, subscription, audience):
    from azure.mgmt.compute import ComputeManagementClient
    from azure.mgmt.network import NetworkManagementClient

    # base_url and credential_scopes are how the SDK targets a cloud other than AzureCloud (sovereign clouds,
    # Azure Stack Hub); polling_interval only shortens the wait when a response carries no Retry-After.
    scopes = [audience.rstrip("/") + "/.default"]
    compute = ComputeManagementClient(credential, subscription, base_url=endpoint, credential_scopes=scopes, polling_interval=1)
    network = NetworkManagementClient(credential, subscription, base_url=endpoint, credential_scopes=scopes, polling_interval=1)
    return compute, network


def tour():
    endpoint = env("DOCKERVM_ARM_ENDPOINT")
    subscription = env("DOCKERVM_SUBSCRIPTION_ID")
    group = env("DOCKERVM_RESOURCE_GROUP")
    credential = ManagedIdentityCredential()
    compute, network = arm_clients(credential, endpoint, subscription, env("DOCKERVM_ARM_AUDIENCE"))

    vms = [vm.name for vm in compute.virtual_machines.list_all()]
    vm = compute.virtual_machines.get(group, env("DOCKERVM_VM_NAME"))
    ip = network.public_ip_addresses.get(group, env("DOCKERVM_PUBLIC_IP_NAME"))

    from azure.mgmt.network.models import PublicIPAddress, PublicIPAddressSku

    created_name = env("DOCKERVM_NEW_PUBLIC_IP_NAME")
    poller = network.public_ip_addresses.begin_create_or_update(
        group,
        created_name,
        PublicIPAddress(location=vm.location, sku=PublicIPAddressSku(name="Standard"), public_ip_allocation_method="Static"),
    )
    created = poller.result(timeout=60)
    network.public_ip_addresses.begin_delete(group, created_name).result(timeout=60)
    try:
        network.public_ip_addresses.get(group, created_name)
        gone = False
    except ResourceNotFoundError:
        gone = True

    from azure.keyvault.secrets import SecretClient

    # The vault is the emulator's root URL, not <name>.vault.azure.net: the SDK's check that the challenge's resource
    # matches the vault's host must be off, as for any vault behind a custom domain.
    secrets = SecretClient(env("DOCKERVM_VAULT_URL"), credential, verify_challenge_resource=False)
    secret = secrets.get_secret(env("DOCKERVM_SECRET_NAME"))

    return {
        "vmNames": vms,
        "vm": {"id": vm.id, "name": vm.name, "provisioningState": vm.provisioning_state, "vmSize": vm.hardware_profile.vm_size},
        "publicIp": {"ipAddress": ip.ip_address, "fqdn": ip.dns_settings.fqdn if ip.dns_settings else None},
        "created": {"id": created.id, "provisioningState": created.provisioning_state, "ipAddress": created.ip_address},
        "createdIsGone": gone,
        "secret": {"id": secret.id, "value": secret.value},
    }


def token():
    try:
        ManagedIdentityCredential().get_token(env("DOCKERVM_ARM_AUDIENCE").rstrip("/") + "/.default")
        return {"token": "issued"}
    except ClientAuthenticationError as error:
        # The message names the endpoint's status; it holds no secret (the header is never echoed).
        return {"token": "refused", "error": str(error).splitlines()[0]}


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "tour"
    result = tour() if mode == "tour" else token()
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
