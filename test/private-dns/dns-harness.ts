import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  DescribeVpcEndpointServiceConfigurationsCommand,
  EC2Client,
  ModifyVpcEndpointServiceConfigurationCommand,
  ModifyVpcEndpointServiceConfigurationCommandInput,
  StartVpcEndpointServicePrivateDnsVerificationCommand,
} from '@aws-sdk/client-ec2';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { AwsStub, mockClient } from 'aws-sdk-client-mock';
import { Dependencies } from '../../lambda/approval/approve';
import { handle } from '../../lambda/approval/index';
import { FakeCloudFormation, SERVICE, STACK_ID, callCounts } from '../approval/fake-cloudformation';

export const NAME_TYPE = 'Custom::VpcEndpointServicePrivateDnsName';
export const VERIFICATION_TYPE = 'Custom::VpcEndpointServicePrivateDnsVerification';
export const RECORD = '_label.api.example.com';

/** What EC2 holds of one endpoint service's private DNS name. */
export interface ServiceState {
  name?: string;
  state?: 'pendingVerification' | 'verified' | 'failed';
  recordName?: string;
  recordValue?: string;
  verificationStarted?: boolean;
}

/** A stateful stand-in for the EC2 calls of the private DNS handler. */
export class FakeServiceDns {
  public readonly stub: AwsStub<any, any, any>;
  public readonly services = new Map<string, ServiceState>([[SERVICE, {}]]);
  public modifyError?: Error;
  /** Applies a Modify, then answers it with this error (as when the answer is lost). */
  public modifyErrorAfterApplying?: Error;
  /** Called before each Describe with its number (from 1); an error it returns is thrown instead of the answer. */
  public describeError?: (call: number) => Error | undefined;
  /** Errors of StartVpcEndpointServicePrivateDnsVerification. */
  public startError?: Error;
  private records = 0;
  private describes = 0;

  constructor() {
    this.stub = mockClient(EC2Client);
    this.stub.on(DescribeVpcEndpointServiceConfigurationsCommand).callsFake(input => {
      const id = input.ServiceIds?.[0];
      this.describes++;
      const failure = this.describeError?.(this.describes);
      if (failure) throw failure;
      const service = this.services.get(id);
      if (!service) throw Object.assign(new Error(`The service ID '${id}' does not exist`), { name: 'InvalidVpcEndpointServiceId.NotFound' });
      return {
        ServiceConfigurations: [{
          ServiceId: id,
          PrivateDnsName: service.name,
          PrivateDnsNameConfiguration: service.name
            ? { State: service.state, Type: 'TXT', Name: service.recordName, Value: service.recordValue } : undefined,
        }],
      };
    });
    this.stub.on(ModifyVpcEndpointServiceConfigurationCommand).callsFake((input: ModifyVpcEndpointServiceConfigurationCommandInput) => {
      if (this.modifyError) throw this.modifyError;
      const service = this.services.get(input.ServiceId!)!;
      if (input.RemovePrivateDnsName) {
        this.services.set(input.ServiceId!, {});
      } else {
        this.records++;
        Object.assign(service, {
          name: input.PrivateDnsName,
          state: 'pendingVerification',
          recordName: `_label${this.records}`,
          recordValue: `vpce:value${this.records}`,
          verificationStarted: false,
        });
      }
      if (this.modifyErrorAfterApplying) throw this.modifyErrorAfterApplying;
      return { Return: true };
    });
    this.stub.on(StartVpcEndpointServicePrivateDnsVerificationCommand).callsFake(input => {
      if (this.startError) throw this.startError;
      this.services.get(input.ServiceId)!.verificationStarted = true;
      return { ReturnValue: true };
    });
  }

  /** The inputs of every Modify call. */
  public modifications(): ModifyVpcEndpointServiceConfigurationCommandInput[] {
    return this.stub.commandCalls(ModifyVpcEndpointServiceConfigurationCommand).map(call => call.args[0].input);
  }

  public callCounts(): Record<string, number> {
    return callCounts(this.stub);
  }
}

/** The world of one private DNS handler test. */
export class DnsHarness {
  public readonly ec2 = new FakeServiceDns();
  public readonly cfn = new FakeCloudFormation();
  public clock = 1_000_000_000;
  public readonly logged: Array<Record<string, unknown>> = [];
  private requests = 0;

  constructor() {
    jest.spyOn(console, 'info').mockImplementation((entry: Record<string, unknown>) => { this.logged.push(entry); });
    this.cfn.physicalIds.set('Service', SERVICE);
    this.cfn.physicalIds.set('Record', RECORD);
  }

  public deps(): Dependencies {
    return {
      ec2: new EC2Client({ region: 'eu-west-1' }),
      cloudformation: new CloudFormationClient({ region: 'eu-west-1' }),
      stackId: STACK_ID,
      now: () => this.clock,
      sleep: async ms => { this.clock += ms; },
      pollIntervalMs: 10_000,
    };
  }

  /** Puts a name resource (and with `verification`, a verification resource) into the template. */
  public template(name: string, verification?: { waitSeconds: number }): void {
    this.cfn.template = {
      Resources: {
        Service: { Type: 'AWS::EC2::VPCEndpointService', Properties: {} },
        Record: { Type: 'AWS::Route53::RecordSet', Properties: {} },
        Name: { Type: NAME_TYPE, Properties: { ServiceToken: 'arn', ServiceId: { Ref: 'Service' }, PrivateDnsName: name } },
        ...verification ? {
          Verification: {
            Type: VERIFICATION_TYPE,
            Properties: { ServiceToken: 'arn', ServiceId: { Ref: 'Service' }, PrivateDnsName: name, VerificationRecord: { Ref: 'Record' }, WaitSeconds: verification.waitSeconds },
          },
        } : {},
      },
    };
  }

  /** A request as CloudFormation sends it, for a resource of the template (scalars as strings). */
  public event(requestType: 'Create' | 'Update' | 'Delete', logicalId: string, properties: Record<string, unknown>,
    physicalId?: string, oldProperties?: Record<string, unknown>): CloudFormationCustomResourceEvent {
    return {
      RequestType: requestType,
      ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:framework',
      ResponseURL: '...',
      StackId: STACK_ID,
      RequestId: `request-${++this.requests}`,
      LogicalResourceId: logicalId,
      ResourceType: logicalId === 'Verification' ? VERIFICATION_TYPE : NAME_TYPE,
      ResourceProperties: { ServiceToken: 'arn', ...Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, String(v)])) },
      ...physicalId ? { PhysicalResourceId: physicalId } : {},
      ...oldProperties ? { OldResourceProperties: oldProperties } : {},
    } as CloudFormationCustomResourceEvent;
  }

  /** Sends the request the way CloudFormation does: the phase and the resource's in-progress event first. */
  public async send(phase: string, event: CloudFormationCustomResourceEvent): Promise<any> {
    if (this.cfn.status !== phase || this.cfn.events.length === 0) this.cfn.phase(phase);
    const physicalId = 'PhysicalResourceId' in event ? event.PhysicalResourceId : '';
    this.cfn.resourceEvent(event.LogicalResourceId, `${event.RequestType.toUpperCase()}_IN_PROGRESS`, physicalId, event.ResourceType);
    return this.run(event);
  }

  public run(event: unknown): Promise<any> {
    return handle(event as CloudFormationCustomResourceEvent, this.deps(), () => 900_000);
  }

  public restore(): void {
    this.ec2.stub.restore();
    this.cfn.restore();
    jest.restoreAllMocks();
  }
}

export function nameProps(name: string, serviceId = SERVICE): Record<string, unknown> {
  return { ServiceId: serviceId, PrivateDnsName: name };
}

export function verificationProps(name: string, waitSeconds = 0): Record<string, unknown> {
  return { ServiceId: SERVICE, PrivateDnsName: name, VerificationRecord: RECORD, WaitSeconds: waitSeconds };
}
