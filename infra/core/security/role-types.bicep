metadata description = 'Shared types and built-in role ids for the role assignment modules.'

@export()
@description('One role assignment: who gets which built-in role (by its role definition GUID).')
type roleAssignmentType = {
  @description('Object id of the principal.')
  principalId: string

  @description('GUID of the built-in role definition.')
  roleDefinitionId: string

  @description('Principal type; set it for managed identities so ARM does not wait for directory replication.')
  principalType: ('ServicePrincipal' | 'User' | 'Group')?

  @description('Why the principal needs the role; shown in the portal.')
  description: string
}

@export()
@description('Built-in role definition GUIDs used by this template. Owner, Contributor and User Access Administrator are never used.')
var builtInRoles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  virtualMachineContributor: '9980e02c-c2be-4d73-94e8-173b1dc7cf3c'
  networkContributor: '4d97b98b-1d4f-4787-a291-c67834d212e7'
}
