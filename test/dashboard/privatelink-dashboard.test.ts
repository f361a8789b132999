import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsServiceEndpoints, InterfaceEndpoint, PrivateEndpointService, PrivateLinkDashboard } from '../../src';
import { newNlb, validationErrorOf } from '../helpers';

const ENDPOINT_ID = 'vpce-0123456789abcdef0';

function newStack(app = new App(), id = 'Platform'): Stack {
  return new Stack(app, id, { env: { account: '111111111111', region: 'eu-west-1' } });
}

function newService(stack: Stack, id = 'Service', approve = true): PrivateEndpointService {
  return new PrivateEndpointService(stack, id, {
    networkLoadBalancers: [newNlb(stack, `${id}Nlb`)],
    connectionApproval: approve ? { endpointIds: [ENDPOINT_ID] } : undefined,
  });
}

function newEndpoint(stack: Stack, id = 'Endpoint'): InterfaceEndpoint {
  const vpc = (stack.node.tryFindChild('ConsumerVpc') as ec2.Vpc | undefined) ?? new ec2.Vpc(stack, 'ConsumerVpc', { maxAzs: 2, natGateways: 0 });
  return new InterfaceEndpoint(stack, id, { vpc, service: ec2.InterfaceVpcEndpointAwsService.SSM });
}

/** The dashboard body as CloudWatch reads it: the template's Fn::Join, with every reference shown as its JSON. */
function dashboardBody(stack: Stack): { widgets: Array<Record<string, any>> } {
  const [dashboard] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
  const body = dashboard.Properties.DashboardBody;
  const text = typeof body === 'string' ? body : body['Fn::Join'][1].map((part: unknown) => typeof part === 'string' ? part : JSON.stringify(part).replace(/"/g, '\'')).join('');
  return JSON.parse(text);
}

function metricsOf(widget: Record<string, any>): string[] {
  return (widget.properties.metrics ?? []).map((metric: unknown[]) => `${metric[0]} ${metric[1]}`);
}

describe('PrivateLinkDashboard', () => {
  test('one row per service: a title, traffic, connections, endpoints and resets, and the approval\'s decisions', () => {
    const stack = newStack();
    const service = newService(stack);
    new PrivateLinkDashboard(stack, 'Dashboard', { services: [service] });
    const { widgets } = dashboardBody(stack);
    expect(widgets.map(w => w.type)).toEqual(['text', 'metric', 'metric', 'metric', 'metric']);
    expect(widgets[0].properties.markdown).toBe('### Endpoint service Platform/Service');
    expect(widgets.slice(1).map(w => w.properties.title)).toEqual(['Bytes processed', 'Connections', 'Endpoints and resets', 'Approval decisions']);
    expect(metricsOf(widgets[1])).toEqual(['AWS/PrivateLinkServices BytesProcessed']);
    expect(metricsOf(widgets[2])).toEqual(['AWS/PrivateLinkServices ActiveConnections', 'AWS/PrivateLinkServices NewConnections']);
    expect(metricsOf(widgets[3])).toEqual(['AWS/PrivateLinkServices EndpointsCount', 'AWS/PrivateLinkServices RstPacketsSent']);
    expect(metricsOf(widgets[4])).toEqual([
      'CdkPrivateLink/ConnectionApproval ConnectionsAccepted',
      'CdkPrivateLink/ConnectionApproval ConnectionsRejected',
      'CdkPrivateLink/ConnectionApproval RequestsLeftPending',
      'CdkPrivateLink/ConnectionApproval ListedEndpointsNotAccepted',
      'CdkPrivateLink/ConnectionApproval ConnectionsAcceptedOutsideApproval',
      'CdkPrivateLink/ConnectionApproval FailedRuns',
    ]);
    // The graphs fill the 24 columns of the row, side by side.
    expect(widgets.slice(1).map(w => [w.x, w.width])).toEqual([[0, 6], [6, 6], [12, 6], [18, 6]]);
    expect(new Set(widgets.slice(1).map(w => w.y)).size).toBe(1);
    // Resets on the right axis, next to the endpoint count.
    expect(widgets[3].properties.metrics[1]).toEqual(expect.arrayContaining([expect.objectContaining({ yAxis: 'right' })]));
  });

  test('a service without an approval has no decisions graph; an endpoint has traffic, connections, drops and resets', () => {
    const stack = newStack();
    new PrivateLinkDashboard(stack, 'Dashboard', { services: [newService(stack, 'Service', false)], endpoints: [newEndpoint(stack)] });
    const { widgets } = dashboardBody(stack);
    expect(widgets.filter(w => w.type === 'text').map(w => w.properties.markdown)).toEqual([
      '### Endpoint service Platform/Service', '### Interface endpoint Platform/Endpoint',
    ]);
    const titles = widgets.filter(w => w.type === 'metric').map(w => w.properties.title);
    expect(titles).toEqual(['Bytes processed', 'Connections', 'Endpoints and resets', 'Bytes processed', 'Connections', 'Drops and resets']);
    const drops = widgets.filter(w => w.properties.title === 'Drops and resets')[0];
    expect(metricsOf(drops)).toEqual(['AWS/PrivateLinkEndpoints PacketsDropped', 'AWS/PrivateLinkEndpoints RstPacketsReceived']);
    expect(widgets.filter(w => w.type === 'metric').slice(3).map(w => w.width)).toEqual([8, 8, 8]);
  });

  test('alarms added before synthesis, even after the dashboard, appear in an alarm status widget of their row', () => {
    const stack = newStack();
    const service = newService(stack);
    const endpoint = newEndpoint(stack);
    new PrivateLinkDashboard(stack, 'Dashboard', { services: [service], endpoints: [endpoint] });
    const topic = new sns.Topic(stack, 'Alarms');
    const serviceAlarms = [...service.addAlarms({ topic, expectedEndpoints: 2 }), ...service.approval!.addAlarms({ topic })];
    const endpointAlarms = endpoint.addAlarms({ topic });
    const { widgets } = dashboardBody(stack);
    const statuses = widgets.filter(w => w.type === 'alarm');
    expect(statuses).toHaveLength(2);
    expect(statuses[0].properties.alarms).toHaveLength(serviceAlarms.length);
    expect(statuses[1].properties.alarms).toHaveLength(endpointAlarms.length);
    // Four graphs and the alarms share the row: 24 columns in all.
    const serviceRow = widgets.filter(w => w.y === statuses[0].y);
    expect(serviceRow.reduce((sum, w) => sum + w.width, 0)).toBe(24);
  });

  test('scope finds every service and interface endpoint below it, AwsServiceEndpoints included, each once and in tree order', () => {
    const app = new App();
    const provider = newStack(app, 'Provider');
    const consumer = newStack(app, 'Consumer');
    const service = newService(provider);
    const endpoint = newEndpoint(consumer);
    const vpc = consumer.node.findChild('ConsumerVpc') as ec2.Vpc;
    new AwsServiceEndpoints(consumer, 'Aws', { vpc, services: [ec2.InterfaceVpcEndpointAwsService.STS, ec2.InterfaceVpcEndpointAwsService.KMS] });
    const dashboards = newStack(app, 'Dashboards');
    new PrivateLinkDashboard(dashboards, 'Dashboard', { scope: app, services: [service], endpoints: [endpoint] });
    const titles = dashboardBody(dashboards).widgets.filter(w => w.type === 'text').map(w => w.properties.markdown);
    expect(titles).toEqual([
      '### Endpoint service Provider/Service',
      '### Interface endpoint Consumer/Endpoint',
      expect.stringMatching(/^### Interface endpoint Consumer\/Aws\//),
      expect.stringMatching(/^### Interface endpoint Consumer\/Aws\//),
    ]);
  });

  test('the same app gives the same dashboard body every time', () => {
    const build = () => {
      const stack = newStack();
      const service = newService(stack);
      new PrivateLinkDashboard(stack, 'Dashboard', { services: [service], endpoints: [newEndpoint(stack)], period: Duration.minutes(1) });
      service.approval!.addAlarms({ topic: new sns.Topic(stack, 'Alarms') });
      return JSON.stringify(Template.fromStack(stack).toJSON());
    };
    expect(build()).toEqual(build());
  });

  test('the period reaches every graph; a period that is not whole minutes is refused', () => {
    const stack = newStack();
    new PrivateLinkDashboard(stack, 'Dashboard', { services: [newService(stack)], period: Duration.hours(1) });
    const graphs = dashboardBody(stack).widgets.filter(w => w.type === 'metric');
    for (const graph of graphs) {
      for (const metric of graph.properties.metrics) expect(metric[metric.length - 1]).toEqual(expect.objectContaining({ period: 3600 }));
    }
    expect(validationErrorOf(() => new PrivateLinkDashboard(stack, 'Bad', { services: [], period: Duration.seconds(90) })).message)
      .toContain('period is 1 minute 30 seconds');
  });

  test('nothing to draw is an error at synthesis; a service that is not a PrivateEndpointService is refused', () => {
    const stack = newStack();
    new PrivateLinkDashboard(stack, 'Dashboard', {});
    expect(() => Template.fromStack(stack)).toThrow(/Platform\/Dashboard has no endpoint service or interface endpoint to draw/);
    const other = newStack(new App(), 'Other');
    const imported = PrivateEndpointService.fromEndpointServiceId(other, 'Imported', 'vpce-svc-0123456789abcdef0');
    expect(validationErrorOf(() => new PrivateLinkDashboard(other, 'Dashboard', { services: [imported as PrivateEndpointService] })).message)
      .toContain('expected a PrivateEndpointService');
  });
});
