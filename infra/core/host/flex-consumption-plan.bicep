metadata description = 'A Flex Consumption (FC1) plan: Linux, serverless, one function app per plan.'

@description('Name of the plan.')
param name string

@description('Azure region.')
param location string

@description('Tags for the plan.')
param tags { *: string }

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    // Flex Consumption runs on Linux only.
    reserved: true
  }
}

@description('Resource id of the plan.')
output resourceId string = plan.id
