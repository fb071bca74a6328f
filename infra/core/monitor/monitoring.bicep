metadata description = 'Log Analytics workspace and a workspace-based Application Insights component with local (key) auth disabled.'

@description('Name of the Log Analytics workspace.')
param logAnalyticsName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Azure region.')
param location string

@description('Tags for both resources.')
param tags { *: string }

@description('Days the workspace keeps data.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2026-03-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    // Telemetry is accepted only with an Entra token (the app's identity holds Monitoring Metrics Publisher).
    DisableLocalAuth: true
  }
}

// A failed provisioning is a completed orchestration with a failed result (docs/decisions/0001), so Durable's own
// runtime status never turns red for it; this rule alerts on the workflow's outcome metric instead.
resource provisioningFailures 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: '${applicationInsightsName}-provisioning-failures'
  location: location
  tags: tags
  properties: {
    displayName: 'Docker host provisioning failures'
    description: 'Provisioning runs that ended failed (metric dockervm.provisioning.completed, outcome=failed), by ARM error code.'
    severity: 2
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: 'customMetrics | where name == "dockervm.provisioning.completed" | where tostring(customDimensions["outcome"]) == "failed" | extend errorType = tostring(customDimensions["error.type"]) | summarize failures = sum(valueSum) by errorType'
          timeAggregation: 'Total'
          metricMeasureColumn: 'failures'
          dimensions: [
            {
              name: 'errorType'
              operator: 'Include'
              values: ['*']
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
  }
}

@description('Name of the Application Insights component.')
output applicationInsightsName string = applicationInsights.name

@description('Connection string of the component; not a secret once local auth is disabled.')
output applicationInsightsConnectionString string = applicationInsights.properties.ConnectionString

@description('Name of the Log Analytics workspace.')
output logAnalyticsName string = logAnalytics.name
