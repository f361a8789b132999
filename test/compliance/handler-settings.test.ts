import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { allConstructsApp } from './all-constructs-app';
import { guardFindingsOnLibraryResources, nagFindingsOnLibraryResources } from './findings';
import { ConnectionApproval, PrivateEndpointService, PrivateLinkHandler } from '../../src';
import { validationErrorOf } from '../helpers';

// WaitingProviderLogs first: the logical IDs of the others are not its prefixes, but ProviderLogs is in it.
const LOG_GROUPS = ['WaitingProviderLogs', 'HandlerLogs', 'ProviderLogs', 'WaiterLogs'];

function approvalStack(configure?: (stack: Stack) => void): Stack {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false } as object), 'Approvals', { env: { account: '111111111111', region: 'eu-west-1' } });
  configure?.(stack);
  new ConnectionApproval(stack, 'Approval', {
    service: PrivateEndpointService.fromEndpointServiceId(stack, 'Service', 'vpce-svc-0123456789abcdef0'),
    endpointIds: ['vpce-0a1b2c3d4e5f60718'],
  });
  return stack;
}

describe('a customer managed key for the handler\'s logs', () => {
  const keys = new Map<Stack, kms.Key>();
  const built = allConstructsApp({
    beforeConstructs: stack => {
      const key = new kms.Key(stack, 'LogKey', { enableKeyRotation: true });
      keys.set(stack, key);
      PrivateLinkHandler.configure(stack, { logEncryptionKey: key, reservedConcurrency: 5 });
    },
  });
  const template = Template.fromStack(built.provider);
  const keyId = built.provider.resolve((keys.get(built.provider)!.node.defaultChild as kms.CfnKey).logicalId);

  test('encrypts every log group of the handler, named so that the key policy names exactly them', () => {
    const groups = template.findResources('AWS::Logs::LogGroup');
    const handlerGroups = Object.entries(groups).filter(([id]) => id.startsWith('CdkPrivateLinkConnectionApproval'));
    expect(handlerGroups.map(([id]) => LOG_GROUPS.find(name => id.includes(name))).sort()).toEqual([...LOG_GROUPS].sort());
    const names: string[] = [];
    for (const [, group] of handlerGroups) {
      expect(group.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
      names.push(group.Properties.LogGroupName);
    }
    expect(names.sort()).toEqual(['handler', 'provider', 'waiter', 'waiting-provider'].map(role => `Provider/cdk-privatelink/${role}`));

    const statements = template.toJSON().Resources[keyId].Properties.KeyPolicy.Statement
      .filter((statement: { Principal?: { Service?: string } }) => statement.Principal?.Service === 'logs.eu-west-1.amazonaws.com');
    const arns = statements.map((statement: any) => JSON.stringify(statement.Condition.ArnEquals['kms:EncryptionContext:aws:logs:arn']));
    expect(arns.sort()).toEqual(names.map(name => JSON.stringify({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:eu-west-1:111111111111:log-group:${name}`]],
    })).sort());
    for (const statement of statements) expect(statement.Action).toEqual(expect.arrayContaining(['kms:Encrypt*', 'kms:GenerateDataKey*']));
  });

  test('and a reserved concurrency: no acknowledgement of encryption or concurrency is left, and none is needed', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('^cdk-privatelink'), ReservedConcurrentExecutions: 5 });
    const handlerLogs = built.provider.node.findChild('CdkPrivateLinkConnectionApproval').node.findChild('HandlerLogs').node.defaultChild!;
    expect(JSON.stringify(handlerLogs.node.metadata)).not.toContain('CloudWatchLogGroupEncrypted');
    expect(template.toJSON().Resources[built.provider.resolve((handlerLogs as any).logicalId)].Metadata?.guard).toBeUndefined();
    const handler = built.provider.node.findChild('CdkPrivateLinkConnectionApproval').node.findChild('Handler').node.defaultChild!;
    expect(JSON.stringify(handler.node.metadata)).not.toContain('LambdaConcurrency');
    for (const pack of [new NIST80053R5Checks(built.app), new HIPAASecurityChecks(built.app)]) {
      expect(nagFindingsOnLibraryResources(pack, built.stacks)).toEqual([]);
    }
    expect(guardFindingsOnLibraryResources(built.app, built.stacks)).toEqual([]);
  });
});

test('an imported key gets a warning that names the statement to add', () => {
  const stack = approvalStack(s => PrivateLinkHandler.configure(s, {
    logEncryptionKey: kms.Key.fromKeyArn(s, 'Imported', 'arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-0000-4000-8000-000000000000'),
  }));
  Annotations.fromStack(stack).hasWarning('/Approvals/CdkPrivateLinkConnectionApproval',
    Match.stringLikeRegexp('imported: allow logs.eu-west-1.amazonaws.com .* the ARN of log group Approvals/cdk-privatelink/handler'));
});

test('without settings, nothing changes: no reservation, unnamed log groups without a key', () => {
  const template = Template.fromStack(approvalStack());
  for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
    expect(group.Properties.KmsKeyId).toBeUndefined();
    expect(group.Properties.LogGroupName).toBeUndefined();
  }
  for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
});

describe('PrivateLinkHandler.configure', () => {
  test('after the handler exists fails, naming the stack', () => {
    const stack = approvalStack();
    const error = validationErrorOf(() => PrivateLinkHandler.configure(stack, { reservedConcurrency: 2 }));
    expect(error.message).toContain('is called after the handler of stack Approvals was created');
  });

  test('twice with other settings fails; twice with the same settings is fine', () => {
    const stack = new Stack(new App(), 'S');
    PrivateLinkHandler.configure(stack, { reservedConcurrency: 2 });
    PrivateLinkHandler.configure(stack, { reservedConcurrency: 2 });
    expect(validationErrorOf(() => PrivateLinkHandler.configure(stack, { reservedConcurrency: 3 })).message)
      .toContain('is called twice for stack S with different settings');
  });

  test.each([[0, '0'], [-1, '-1'], [1.5, '1.5'], [Number.NaN, 'NaN'], ['2', '\'2\'']])('refuses reserved concurrency %p, naming the value', (value, shown) => {
    const error = validationErrorOf(() => PrivateLinkHandler.configure(new Stack(new App(), 'S'), { reservedConcurrency: value as number }));
    expect(error.message).toContain(`reservedConcurrency is ${shown}: expected a whole number from 1 to 2147483647`);
  });

  test('refuses a log encryption key that is not a key', () => {
    const error = validationErrorOf(() => PrivateLinkHandler.configure(new Stack(new App(), 'S'), { logEncryptionKey: 'alias/logs' as unknown as kms.IKey }));
    expect(error.message).toContain('logEncryptionKey is \'alias/logs\': expected a KMS key');
  });
});
