import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { AcceptVpcEndpointConnectionsCommand, EC2Client, RejectVpcEndpointConnectionsCommand } from '@aws-sdk/client-ec2';
import type { CloudFormationCustomResourceEvent, SNSEvent } from 'aws-lambda';
import { CloudFormationSimulator } from './cloudformation-simulator';
import { ApprovalSpec, FakeCloudFormation, SERVICE, STACK_ID } from './fake-cloudformation';
import { FakeEc2, endpointId } from './fake-ec2';
import { Dependencies } from '../../lambda/approval/approve';
import { Connection } from '../../lambda/approval/decide';
import { handle } from '../../lambda/approval/index';

export const CONSUMER = '222222222222';
/** The stack's enforcement topic, which receives the Accept notifications. */
export const ENFORCEMENT_TOPIC = 'arn:aws:sns:eu-west-1:111111111111:Provider-Enforcement';
export const STRANGER = '333333333333';

/** The world of one handler test: fake EC2 and CloudFormation, a clock, the log, and CloudFormation's part played. */
export class Harness {
  public readonly ec2: FakeEc2;
  public readonly cfn = new FakeCloudFormation();
  public readonly simulator: CloudFormationSimulator;
  public readonly logged: Array<Record<string, unknown>> = [];
  public clock = 1_000_000_000;
  public remainingMs = 900_000;
  public onSleep?: (ms: number) => void;

  constructor(connections: Connection[] = []) {
    this.ec2 = new FakeEc2(connections);
    this.simulator = new CloudFormationSimulator(this.cfn, event => this.run(event) as Promise<{ PhysicalResourceId: string } | void>);
    jest.spyOn(console, 'info').mockImplementation((entry: Record<string, unknown>) => { this.logged.push(entry); });
  }

  public deps(): Dependencies {
    return {
      ec2: new EC2Client({ region: 'eu-west-1' }),
      cloudformation: new CloudFormationClient({ region: 'eu-west-1' }),
      stackId: STACK_ID,
      enforcementTopicArn: ENFORCEMENT_TOPIC,
      now: () => this.clock,
      sleep: async ms => { this.onSleep?.(ms); this.clock += ms; },
      pollIntervalMs: 10_000,
    };
  }

  /** Runs the handler; the time Lambda has left shrinks as the fake clock moves on. */
  public run(event: CloudFormationCustomResourceEvent | SNSEvent | typeof SCHEDULED_EVENT) {
    const start = this.clock;
    return handle(event, this.deps(), () => this.remainingMs - (this.clock - start));
  }

  /** Creates (or updates) the stack with one approval named `Approval`; fails when CloudFormation would report a failure. */
  public async deploy(spec: ApprovalSpec, logicalId = 'Approval'): Promise<string> {
    const outcome = await this.simulator.deploy({ [logicalId]: spec });
    const failure = outcome.requests.find(r => r.error);
    if (failure) throw new Error(failure.error);
    return this.simulator.deployed.get(logicalId)!.physicalId;
  }

  public accepted(): string[][] {
    return this.ec2.calls(AcceptVpcEndpointConnectionsCommand);
  }

  public rejected(): string[][] {
    return this.ec2.calls(RejectVpcEndpointConnectionsCommand);
  }

  public decisions(action?: string) {
    return this.logged.filter(l => l.event === 'decision' && (!action || l.action === action));
  }

  public restore(): void {
    this.ec2.restore();
    this.cfn.restore();
    jest.restoreAllMocks();
  }
}

export function pending(n: number, props: Partial<Connection> = {}): Connection {
  return { endpointId: endpointId(n), serviceId: SERVICE, state: 'pendingAcceptance', owner: CONSUMER, ...props };
}

export function notification(...messages: string[]): SNSEvent {
  return { Records: messages.map(message => ({ EventSource: 'aws:sns', EventVersion: '1.0', EventSubscriptionArn: 'arn', Sns: { Message: message } as any })) };
}

/** An Accept notification, as it reaches the handler through the enforcement topic. */
export function acceptNotification(id: string, service = SERVICE): SNSEvent {
  const message = JSON.stringify({ serviceId: service, endpointId: id, endpointState: 'available', notificationType: 'Accept' });
  return { Records: [{ EventSource: 'aws:sns', EventVersion: '1.0', EventSubscriptionArn: 'arn', Sns: { Message: message, TopicArn: ENFORCEMENT_TOPIC } as any }] };
}

/** The event of the hourly EventBridge schedule. */
export const SCHEDULED_EVENT = {
  'version': '0',
  'id': 'c0ffee00-0000-4000-8000-000000000000',
  'detail-type': 'Scheduled Event',
  'source': 'aws.events',
  'account': '111111111111',
  'time': '2026-12-02T12:00:00Z',
  'region': 'eu-west-1',
  'resources': ['arn:aws:events:eu-west-1:111111111111:rule/Provider-EnforcementSchedule'],
  'detail': {},
};

export function connectMessage(id: string, service = SERVICE): string {
  return JSON.stringify({ serviceId: service, endpointId: id, endpointState: 'pendingAcceptance', notificationType: 'Connect' });
}
