"""Which of az's own commands can run with the SDK packages installed beside it (run with az's own interpreter).

az loads its command modules against the api-versions of its "latest" profile (azure/cli/core/profiles/_shared.py).
A distribution that packages az and the SDKs separately can ship SDKs without those versions; the command then fails
on the machine before sending anything (Debian 12: azure-cli 2.45.0 with python3-azure 20230112). Prints one JSON
object: for each command group, null when it can run, else why not.
"""

import importlib.metadata
import importlib.util
import json

from azure.cli.core.profiles import ResourceType
from azure.cli.core.profiles._shared import AZURE_API_PROFILES


def api_version(resource_type):
    value = AZURE_API_PROFILES["latest"][resource_type]
    return getattr(value, "default_api_version", value)


def installed(distribution):
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def has_module(name):
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def check(resource_type, distribution, suffix):
    version = api_version(resource_type)
    module = "{}.v{}{}".format(resource_type.import_prefix, version.replace("-", "_").replace(".", "_"), suffix)
    if has_module(module):
        return None
    return "az's 'latest' profile uses {} api-version {}, but {} {} has no module {}".format(
        resource_type.import_prefix, version, distribution, installed(distribution), module)


print(json.dumps({
    # az vm list/show: the operations of the profile's Compute version.
    "vm": check(ResourceType.MGMT_COMPUTE, "azure-mgmt-compute", ".operations"),
    # az network public-ip show: the network module's arguments load the profile's Network models.
    "network": check(ResourceType.MGMT_NETWORK, "azure-mgmt-network", ".models"),
    # az keyvault secret show: the track-1 Key Vault client (azure-keyvault 1.x) at the profile's data-plane version.
    "keyvault": check(ResourceType.DATA_KEYVAULT, "azure-keyvault", ""),
}))
