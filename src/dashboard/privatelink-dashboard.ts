import { Aspects, Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct, IConstruct } from 'constructs';
import { ConnectionApproval } from '../approval';
import { InterfaceEndpoint } from '../consumer';
import { PrivateEndpointService } from '../provider';
import { describe, fail, propName, validateList } from '../validation';

/** Properties of a {@link PrivateLinkDashboard}. */
export interface PrivateLinkDashboardProps {
  /**
   * The endpoint services to draw, one row each: traffic, connections, endpoints and resets, the
   * approval's decisions when the service has an approval (its own, or a `ConnectionApproval`
   * of it anywhere in the app), and the state of their alarms.
   * @default - none, unless `scope` finds some
   */
  readonly services?: PrivateEndpointService[];

  /**
   * The interface endpoints to draw, one row each: traffic, connections, drops and resets, and
   * the state of their alarms. Gateway endpoints publish no metrics, so they have no row.
   * @default - none, unless `scope` finds some
   */
  readonly endpoints?: InterfaceEndpoint[];

  /**
   * Also draw every `PrivateEndpointService` and `InterfaceEndpoint` (including those of
   * `AwsServiceEndpoints`) in this scope and below, for example a stage or the app, in the
   * order of the construct tree.
   * @default - only `services` and `endpoints`
   */
  readonly scope?: IConstruct;

  /**
   * The name of the dashboard.
   * @default - a name CloudFormation generates
   */
  readonly dashboardName?: string;

  /**
   * The period of every graph.
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;
}

/** Columns of a CloudWatch dashboard row. */
const ROW_WIDTH = 24;
const GRAPH_HEIGHT = 6;

/** A graph of a row, before its width is known. */
interface GraphSpec {
  readonly title: string;
  readonly left: cloudwatch.IMetric[];
  readonly right?: cloudwatch.IMetric[];
}

/**
 * A CloudWatch dashboard for a set of endpoint services and interface endpoints: one row per
 * service or endpoint, each with its traffic, connections, drops and resets, the approval's
 * decisions (for a service with an approval), and the state of the alarms added with their
 * `addAlarms()` methods (add the alarms before the dashboard is synthesized; rows are drawn then).
 */
export class PrivateLinkDashboard extends Construct {
  /** The CloudWatch dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  private readonly services: PrivateEndpointService[] = [];
  private readonly endpoints: InterfaceEndpoint[] = [];
  private readonly period: Duration;
  private readonly scope?: IConstruct;
  private drawn = false;

  constructor(scope: Construct, id: string, props: PrivateLinkDashboardProps = {}) {
    super(scope, id);
    this.period = this.checkPeriod(props.period);
    validateList(this, 'services', props.services, 'PrivateEndpointService values');
    validateList(this, 'endpoints', props.endpoints, 'InterfaceEndpoint values');
    for (const service of props.services ?? []) this.addService(service);
    for (const endpoint of props.endpoints ?? []) this.addEndpoint(endpoint);
    this.scope = props.scope;

    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', { dashboardName: props.dashboardName });
    this.node.addValidation({ validate: () => this.problems() });
    // Drawn before synthesis prepares cross-stack references, once every construct and alarm is in.
    Aspects.of(this).add({ visit: node => { if (node === this) this.drawRows(); } });
  }

  /** Adds a row for an endpoint service (once, however often it is added). */
  public addService(service: PrivateEndpointService): void {
    if (!(service instanceof PrivateEndpointService)) {
      fail(this, `${propName('services')} has ${describe(service)}: expected a PrivateEndpointService (imported services and `
        + 'aws-cdk-lib\'s VpcEndpointService have no metric methods; use their metrics directly).');
    }
    if (!this.services.includes(service)) this.services.push(service);
  }

  /** Adds a row for an interface endpoint (once, however often it is added). */
  public addEndpoint(endpoint: InterfaceEndpoint): void {
    if (!(endpoint instanceof InterfaceEndpoint)) {
      fail(this, `${propName('endpoints')} has ${describe(endpoint)}: expected an InterfaceEndpoint (gateway endpoints publish no metrics).`);
    }
    if (!this.endpoints.includes(endpoint)) this.endpoints.push(endpoint);
  }

  private addScope(scope: IConstruct): void {
    for (const construct of scope.node.findAll()) {
      if (construct instanceof PrivateEndpointService) this.addService(construct);
      if (construct instanceof InterfaceEndpoint) this.addEndpoint(construct);
    }
  }

  /** Draws the rows once every service, endpoint and alarm is known: at synthesis, once. */
  private drawRows(): void {
    if (this.drawn) return;
    this.drawn = true;
    if (this.scope !== undefined) this.addScope(this.scope);
    for (const service of this.services) this.dashboard.addWidgets(...this.serviceRow(service));
    for (const endpoint of this.endpoints) this.dashboard.addWidgets(...this.endpointRow(endpoint));
  }

  private problems(): string[] {
    if (this.services.length > 0 || this.endpoints.length > 0) return [];
    return [`${this.node.path} has no endpoint service or interface endpoint to draw: expected ${propName('services')}, `
      + `${propName('endpoints')}, or a ${propName('scope')} that holds some.`];
  }

  private serviceRow(service: PrivateEndpointService): cloudwatch.IWidget[] {
    const options = { period: this.period };
    const approval = service.approval ?? this.approvalOf(service);
    const graphs: GraphSpec[] = [
      { title: 'Bytes processed', left: [service.metricBytesProcessed(options)] },
      { title: 'Connections', left: [service.metricActiveConnections(options), service.metricNewConnections(options)] },
      { title: 'Endpoints and resets', left: [service.metricEndpointsCount(options)], right: [service.metricRstPacketsSent(options)] },
      ...approval ? [{
        title: 'Approval decisions',
        left: [
          approval.metricConnectionsAccepted(options),
          approval.metricConnectionsRejected(options),
          approval.metricRequestsLeftPending(options),
          approval.metricListedEndpointsNotAccepted(options),
          approval.metricConnectionsAcceptedOutsideApproval(options),
          approval.metricFailedRuns(options),
        ],
      }] : [],
    ];
    return this.row(`Endpoint service ${service.node.path}`, graphs, [...service.alarms, ...approval?.alarms ?? []]);
  }

  /** The approval of a service made with `new ConnectionApproval()`, anywhere in the app. */
  private approvalOf(service: PrivateEndpointService): ConnectionApproval | undefined {
    return this.node.root.node.findAll().find((c): c is ConnectionApproval => c instanceof ConnectionApproval && c.service === service);
  }

  private endpointRow(endpoint: InterfaceEndpoint): cloudwatch.IWidget[] {
    const options = { period: this.period };
    const graphs: GraphSpec[] = [
      { title: 'Bytes processed', left: [endpoint.metricBytesProcessed(options)] },
      { title: 'Connections', left: [endpoint.metricActiveConnections(options), endpoint.metricNewConnections(options)] },
      { title: 'Drops and resets', left: [endpoint.metricPacketsDropped(options), endpoint.metricRstPacketsReceived(options)] },
    ];
    return this.row(`Interface endpoint ${endpoint.node.path}`, graphs, endpoint.alarms);
  }

  /** A title, then the graphs and the alarms' states side by side, filling the row's 24 columns. */
  private row(title: string, graphs: GraphSpec[], alarms: cloudwatch.IAlarm[]): cloudwatch.IWidget[] {
    const unique = [...new Set(alarms)];
    const width = Math.floor(ROW_WIDTH / (graphs.length + (unique.length > 0 ? 1 : 0)));
    const widgets: cloudwatch.IWidget[] = graphs.map(graph => new cloudwatch.GraphWidget({ ...graph, width, height: GRAPH_HEIGHT }));
    if (unique.length > 0) {
      widgets.push(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: unique, width: ROW_WIDTH - width * graphs.length, height: GRAPH_HEIGHT }));
    }
    return [new cloudwatch.TextWidget({ markdown: `### ${title}`, width: ROW_WIDTH, height: 1 }), new cloudwatch.Row(...widgets)];
  }

  private checkPeriod(period: Duration | undefined): Duration {
    if (period === undefined) return Duration.minutes(5);
    const seconds = period instanceof Duration && !Token.isUnresolved(period.toString()) ? period.toSeconds({ integral: false }) : NaN;
    if (!Number.isInteger(seconds) || seconds < 60 || seconds % 60 !== 0) {
      fail(this, `${propName('period')} is ${period instanceof Duration ? period.toHumanString() : describe(period)}: expected a whole number `
        + 'of minutes, 1 minute or more (PrivateLink publishes one-minute data points).');
    }
    return period;
  }
}
