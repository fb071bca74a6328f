metadata description = '''
The two Standard Webhooks secrets the app reads through Key Vault references: the default outbound callback
signing key and the inbound webhook verification secret. They are written only on the first provision
(createSecrets = true); later provisions leave the vault alone so that `azd provision` never rotates them.
'''

@description('Name of the vault in this resource group.')
param keyVaultName string

@description('Write the secrets. False once they exist, so that re-provisioning keeps the current values.')
param createSecrets bool

@secure()
@description('Random material for the callback signing key (at least 64 characters; dashes are dropped).')
@minLength(64)
param callbackSigningKeySeed string

@secure()
@description('Random material for the inbound webhook secret (at least 64 characters; dashes are dropped).')
@minLength(64)
param webhookSigningSecretSeed string

var callbackSigningKeySecretName = 'callback-signing-key-default'
var webhookSigningSecretName = 'webhook-signing-secret'
var standardWebhooksContentType = 'Standard Webhooks secret (whsec_ + base64)'

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' existing = {
  name: keyVaultName
}

resource callbackSigningKey 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = if (createSecrets) {
  parent: vault
  name: callbackSigningKeySecretName
  properties: {
    contentType: standardWebhooksContentType
    // Standard Webhooks secrets are 'whsec_' + base64 of 24-64 random bytes: here 64 bytes from two GUIDs' hex digits.
    value: 'whsec_${base64(replace(callbackSigningKeySeed, '-', ''))}'
  }
}

resource webhookSigningSecret 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = if (createSecrets) {
  parent: vault
  name: webhookSigningSecretName
  properties: {
    contentType: standardWebhooksContentType
    value: 'whsec_${base64(replace(webhookSigningSecretSeed, '-', ''))}'
  }
}

// Versionless URIs: the app always resolves the current version, so a rotation needs no redeployment.
@description('Versionless URI of the default callback signing key secret.')
output callbackSigningKeySecretUri string = '${vault.properties.vaultUri}secrets/${callbackSigningKeySecretName}/'

@description('Versionless URI of the inbound webhook secret.')
output webhookSigningSecretUri string = '${vault.properties.vaultUri}secrets/${webhookSigningSecretName}/'

@description('Name of the default callback signing key secret.')
output callbackSigningKeySecretName string = callbackSigningKeySecretName

@description('Name of the inbound webhook secret.')
output webhookSigningSecretName string = webhookSigningSecretName
