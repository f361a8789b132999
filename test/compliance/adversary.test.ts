import { execSync } from 'child_process';
import { App, CfnResource, Duration, NestedStack, Stack, Token, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NIST80053R5Checks } from 'cdk-nag';
import { Construct } from 'constructs';
import { nagFindingsOnLibraryResources } from './findings';
import { isLibraryResource } from './library-resources';
import {
  ConnectionApproval, EndpointServicePrivateDnsName, PrivateEndpointService, PrivateLinkHandler, VerifiedDomain,
} from '../../src';
import { encryptedNotificationTopic } from '../../src/notifications/notification-topic';
import { acknowledgeGuardRule } from '../../src/validation';
import { validationErrorOf } from '../helpers';

const ENV = { account: '111111111111', region: 'eu-west-1' };
const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-0000-4000-8000-000000000000';
const LOG_GROUP_ROLES = ['handler', 'provider', 'waiting-provider', 'waiter'];

const newApp = () => new App({ builtinCloudFormationValidation: false } as object);

let serviceNumber = 0;
/** An approval of a new (imported) service: each service may have one approval per app. */
function addApproval(stack: Stack): void {
  serviceNumber += 1;
  new ConnectionApproval(stack, 'Approval', {
    service: PrivateEndpointService.fromEndpointServiceId(stack, 'Service', `vpce-svc-0123456789abcd${String(serviceNumber).padStart(3, '0')}`),
    endpointIds: ['vpce-0a1b2c3d4e5f60718'],
  });
}

/** An approval and a private DNS name that waits for verification: all four log groups of the handler. */
function addEveryHandlerPart(stack: Stack): void {
  addApproval(stack);
  new EndpointServicePrivateDnsName(stack, 'Dns', {
    endpointService: PrivateEndpointService.fromEndpointServiceId(stack, 'DnsService', 'vpce-svc-0fedcba9876543210'),
    privateDnsName: 'api.example.org',
    publicHostedZone: new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.org' }),
    verifiedDomain: VerifiedDomain.hostedZoneApex(),
    waitForVerification: Duration.minutes(30),
  });
}

function keyStatements(stack: Stack, key: kms.Key): any[] {
  return stack.resolve((key.node.defaultChild as kms.CfnKey).keyPolicy).Statement;
}

function logsStatements(stack: Stack, key: kms.Key): any[] {
  return keyStatements(stack, key).filter(statement => JSON.stringify(statement.Principal).includes('logs.'));
}

describe('the CreateGrant deny of the library\'s keys (CT.KMS.PR.3)', () => {
  const stack = new Stack(newApp(), 'Keys', { env: ENV });
  const topic = encryptedNotificationTopic(new Construct(stack, 'Notifications'), 'test');
  const key = topic.masterKey as kms.Key;
  const deny = () => keyStatements(stack, key).find(statement => statement.Effect === 'Deny');

  test('a non-AWS principal cannot create a grant by leaving out a condition key: both keys must be present and true to escape the deny', () => {
    // One condition block: its keys are ANDed, and BoolIfExists matches when a key is missing. So the deny applies unless
    // kms:GrantIsForAWSResource is true (set by KMS only for grants an integrated service creates) or the caller is an AWS service.
    expect(deny().Condition).toEqual({ BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } });
    expect(deny().Action).toEqual('kms:CreateGrant');
  });

  test('denies nothing but CreateGrant: the account root keeps kms:* (it can change the key policy), vpce.amazonaws.com may publish', () => {
    topic.grantPublish(new iam.ServicePrincipal('vpce.amazonaws.com'));
    const statements = keyStatements(stack, key);
    expect(statements.filter(statement => statement.Effect === 'Deny')).toHaveLength(1);
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Allow', Action: 'kms:*', Principal: { AWS: expect.anything() } }));
    const actionsOf = (statement: { Action: string | string[] }) => [statement.Action].flat();
    const publishing = statements.filter(statement => statement.Principal?.Service === 'vpce.amazonaws.com');
    expect(publishing.flatMap(actionsOf)).toEqual(expect.arrayContaining(['kms:GenerateDataKey*', 'kms:Decrypt']));
    expect(publishing.flatMap(actionsOf)).not.toContain('kms:CreateGrant');
  });

  test('every key the library creates comes from the one function that adds the deny', () => {
    // The deny is applied in encryptedNotificationTopic; a new `new kms.Key` elsewhere in src/ would bypass it.
    const hits = execSync('grep -rln "new kms.Key(" src || true', { cwd: `${__dirname}/../..` }).toString().trim().split('\n');
    expect(hits).toEqual(['src/notifications/notification-topic.ts']);
  });
});

describe('a log encryption key shared by the handlers of two stacks', () => {
  const app = newApp();
  const keys = new Stack(app, 'Keys', { env: ENV });
  const key = new kms.Key(keys, 'LogKey', { enableKeyRotation: true });
  const first = new Stack(app, 'First', { env: ENV });
  const second = new Stack(app, 'Second', { env: ENV });
  for (const stack of [first, second]) {
    PrivateLinkHandler.configure(stack, { logEncryptionKey: key });
    addApproval(stack);
  }

  test('gets one statement per log group, with statement IDs that differ (before: both stacks wrote CdkPrivateLinkHandlerLogs)', () => {
    const statements = logsStatements(keys, key);
    expect(statements).toHaveLength(4);
    const sids = statements.map(statement => statement.Sid);
    expect(new Set(sids).size).toBe(sids.length);
    expect(statements.map(statement => JSON.stringify(statement.Condition)).join()).toContain('First/cdk-privatelink/handler');
    expect(statements.map(statement => JSON.stringify(statement.Condition)).join()).toContain('Second/cdk-privatelink/handler');
  });

  test('the handler stacks depend on the key\'s stack, not the other way round (no cycle)', () => {
    app.synth();
    expect(first.dependencies).toContain(keys);
    expect(second.dependencies).toContain(keys);
    expect(keys.dependencies).toEqual([]);
    // The key policy names the log groups by literal names, no reference to the handler stacks.
    expect(JSON.stringify(logsStatements(keys, key))).not.toContain('Fn::ImportValue');
  });
});

describe('a nested stack\'s handler with a key of the parent stack', () => {
  const app = newApp();
  const parent = new Stack(app, 'Parent', { env: ENV });
  const key = new kms.Key(parent, 'LogKey', { enableKeyRotation: true });
  const nested = new NestedStack(parent, 'Nested');
  PrivateLinkHandler.configure(nested, { logEncryptionKey: key });
  addApproval(nested);
  const assembly = app.synth();
  const parentTemplate = assembly.getStackByName('Parent').template;

  test('the key policy names the log groups literally: no reference to the nested stack (before: a circular dependency)', () => {
    // Before: the names started with the nested stack's name, a token; the key then referenced the nested stack resource,
    // which referenced the key's ARN as a parameter: CloudFormation refuses the circular dependency.
    const keyId = parent.resolve((key.node.defaultChild as kms.CfnKey).logicalId);
    const nestedId = Object.keys(parentTemplate.Resources).find(id => parentTemplate.Resources[id].Type === 'AWS::CloudFormation::Stack')!;
    expect(JSON.stringify(parentTemplate.Resources[nestedId].Properties.Parameters)).toContain(keyId);
    expect(JSON.stringify(parentTemplate.Resources[keyId])).not.toContain(nestedId);
  });

  test('the names are literal, unique to the nested stack and valid log group names', () => {
    const groups = Template.fromStack(nested).findResources('AWS::Logs::LogGroup');
    const names = Object.values(groups).map(group => group.Properties.LogGroupName);
    expect(names).toHaveLength(2);
    for (const name of names) {
      expect(typeof name).toBe('string');
      expect(name).toMatch(/^Parent\/ParentNested[A-Za-z0-9]+\/cdk-privatelink\/(handler|provider)$/);
      expect(name).toMatch(/^[.\-_/#A-Za-z0-9]{1,512}$/);
    }
  });
});

describe('log group names and the ARN condition', () => {
  test('for the longest stack name (128 characters) and every handler part, names are valid', () => {
    const stack = new Stack(newApp(), 'Long', { env: ENV, stackName: `A${'b-'.repeat(63)}c` });
    expect(stack.stackName).toHaveLength(128);
    const key = new kms.Key(stack, 'LogKey', { enableKeyRotation: true });
    PrivateLinkHandler.configure(stack, { logEncryptionKey: key });
    addEveryHandlerPart(stack);
    const names = Object.values(Template.fromStack(stack).findResources('AWS::Logs::LogGroup'))
      .map(group => group.Properties.LogGroupName).filter(name => name !== undefined).sort();
    expect(names).toEqual(LOG_GROUP_ROLES.map(role => `${stack.stackName}/cdk-privatelink/${role}`).sort());
    for (const name of names) expect(name).toMatch(/^[.\-_/#A-Za-z0-9]{1,512}$/);
  });

  test('an environment-agnostic stack: the condition and the principal use the deploying Region and account', () => {
    const stack = new Stack(newApp(), 'Agnostic');
    const key = new kms.Key(stack, 'LogKey', { enableKeyRotation: true });
    PrivateLinkHandler.configure(stack, { logEncryptionKey: key });
    addApproval(stack);
    const [statement] = logsStatements(stack, key);
    expect(statement.Principal.Service).toEqual({ 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] });
    expect(statement.Condition.ArnEquals['kms:EncryptionContext:aws:logs:arn']).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' },
        expect.stringMatching(/^:log-group:Agnostic\/cdk-privatelink\/(handler|provider)$/)]],
    });
  });

  test('the waiter state machine\'s log group gets the key and its own statement', () => {
    const stack = new Stack(newApp(), 'Waiting', { env: ENV });
    const key = new kms.Key(stack, 'LogKey', { enableKeyRotation: true });
    PrivateLinkHandler.configure(stack, { logEncryptionKey: key });
    addEveryHandlerPart(stack);
    const keyId = stack.resolve((key.node.defaultChild as kms.CfnKey).logicalId);
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: 'Waiting/cdk-privatelink/waiter', KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    expect(JSON.stringify(logsStatements(stack, key))).toContain(':log-group:Waiting/cdk-privatelink/waiter');
  });
});

describe('log encryption keys that cannot work fail at synthesis, naming the key', () => {
  const stackWith = () => new Stack(newApp(), 'S', { env: ENV });

  test('a key of another Region (before: accepted with only the imported-key warning)', () => {
    const stack = stackWith();
    const key = kms.Key.fromKeyArn(stack, 'Far', 'arn:aws:kms:us-east-1:111111111111:key/0a1b2c3d-0000-4000-8000-000000000000');
    expect(validationErrorOf(() => PrivateLinkHandler.configure(stack, { logEncryptionKey: key })).message)
      .toContain('logEncryptionKey S/Far is in Region us-east-1: expected a key in the stack\'s Region eu-west-1');
  });

  test('an alias, created or imported (before: the log groups got the alias ARN as KmsKeyId)', () => {
    const stack = stackWith();
    const alias = new kms.Alias(stack, 'Alias', { aliasName: 'alias/logs', targetKey: new kms.Key(stack, 'Target') });
    expect(validationErrorOf(() => PrivateLinkHandler.configure(stack, { logEncryptionKey: alias })).message)
      .toContain('logEncryptionKey is the alias S/Alias: expected the key itself');
    const imported = kms.Alias.fromAliasName(stack, 'Imported', 'alias/logs');
    expect(validationErrorOf(() => PrivateLinkHandler.configure(stack, { logEncryptionKey: imported })).message)
      .toContain('logEncryptionKey is the alias S/Imported');
  });

  test('an imported key of the stack\'s Region is accepted, with a warning per log group naming the statement to add', () => {
    const stack = stackWith();
    PrivateLinkHandler.configure(stack, { logEncryptionKey: kms.Key.fromKeyArn(stack, 'Imported', KEY_ARN) });
    addApproval(stack);
    const warnings = Annotations.fromStack(stack).findWarning('/S/CdkPrivateLinkConnectionApproval', Match.anyValue())
      .map(warning => warning.entry.data as string);
    expect(warnings).toEqual(['handler', 'provider'].map(role => 'The log encryption key S/Imported is imported: allow logs.eu-west-1.amazonaws.com '
      + 'kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey* and kms:Describe* in its key policy, with '
      + `kms:EncryptionContext:aws:logs:arn the ARN of log group S/cdk-privatelink/${role}. [ack: cdk-privatelink:logKeyPolicy]`));
  });
});

describe('PrivateLinkHandler.configure, called again', () => {
  test('with another object for the same key ARN is the same setting (before: "different settings")', () => {
    const stack = new Stack(newApp(), 'S', { env: ENV });
    PrivateLinkHandler.configure(stack, { logEncryptionKey: kms.Key.fromKeyArn(stack, 'One', KEY_ARN), reservedConcurrency: 2 });
    PrivateLinkHandler.configure(stack, { logEncryptionKey: kms.Key.fromKeyArn(stack, 'Two', KEY_ARN), reservedConcurrency: 2 });
    expect(validationErrorOf(() => PrivateLinkHandler.configure(stack, { reservedConcurrency: 2 })).message)
      .toContain('is called twice for stack S with different settings');
    expect(validationErrorOf(() => PrivateLinkHandler.configure(stack, {
      logEncryptionKey: kms.Key.fromKeyArn(stack, 'Other', KEY_ARN.replace('0000-4000', '1111-4000')), reservedConcurrency: 2,
    })).message).toContain('with different settings');
  });

  test('on a construct inside the stack configures the stack; after a private DNS name created the handler it fails', () => {
    const stack = new Stack(newApp(), 'S', { env: ENV });
    const inner = new Construct(new Construct(stack, 'A'), 'B');
    PrivateLinkHandler.configure(inner, { reservedConcurrency: 4 });
    addApproval(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 4 });

    const other = new Stack(newApp(), 'T', { env: ENV });
    new EndpointServicePrivateDnsName(other, 'Dns', {
      endpointService: PrivateEndpointService.fromEndpointServiceId(other, 'Service', 'vpce-svc-0fedcba9876543210'),
      privateDnsName: 'a.example.org',
    });
    expect(validationErrorOf(() => PrivateLinkHandler.configure(other, { reservedConcurrency: 2 })).message)
      .toContain('is called after the handler of stack T was created');
  });

  test('the settings of one app\'s stack do not leak into another app\'s stack of the same name', () => {
    const configured = new Stack(newApp(), 'Same', { env: ENV });
    PrivateLinkHandler.configure(configured, { reservedConcurrency: 3 });
    const plain = new Stack(newApp(), 'Same', { env: ENV });
    addApproval(plain);
    for (const fn of Object.values(Template.fromStack(plain).findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    }
  });
});

describe('reserved concurrency', () => {
  test.each([
    [Number.POSITIVE_INFINITY, 'Infinity'], [Number.NEGATIVE_INFINITY, '-Infinity'], [1e21, '1e+21'], [2 ** 31, '2147483648'],
    [-0, '0'], [Number.NaN, 'NaN'], [null, 'null'], [true, 'true'], [{}, '{}'],
  ])('refuses %p, naming it (before: Infinity was shown as null, 1e21 and 2^31 were accepted)', (value, shown) => {
    const error = validationErrorOf(() => PrivateLinkHandler.configure(new Stack(new App(), 'S'), { reservedConcurrency: value as number }));
    expect(error.message).toContain(`reservedConcurrency is ${shown}: expected a whole number from 1 to 2147483647`);
  });

  test('accepts the bounds and a number token (resolved at deployment)', () => {
    for (const value of [1, 2 ** 31 - 1, Token.asNumber({ Ref: 'Concurrency' })]) {
      expect(() => PrivateLinkHandler.configure(new Stack(new App(), 'S'), { reservedConcurrency: value })).not.toThrow();
    }
  });
});

describe('acknowledgements', () => {
  test('a given key leaves no CloudWatchLogGroupEncrypted acknowledgement on any handler log group, and none is reported', () => {
    const app = newApp();
    const stack = new Stack(app, 'S', { env: ENV });
    PrivateLinkHandler.configure(stack, { logEncryptionKey: new kms.Key(stack, 'LogKey', { enableKeyRotation: true }), reservedConcurrency: 2 });
    addEveryHandlerPart(stack);
    const template = Template.fromStack(stack).toJSON();
    const groups = Object.entries(template.Resources).filter(([, resource]: [string, any]) => resource.Type === 'AWS::Logs::LogGroup');
    expect(groups).toHaveLength(4);
    for (const [, group] of groups as [string, any][]) {
      expect(JSON.stringify(group.Metadata ?? {})).not.toContain('cloudwatch_log_group_encrypted_check');
      expect(JSON.stringify(group.Metadata ?? {})).not.toContain('CloudWatchLogGroupEncrypted');
    }
    expect(nagFindingsOnLibraryResources(new NIST80053R5Checks(app), [stack]).filter(finding => finding.rule.includes('LogGroupEncrypted')))
      .toEqual([]);
  });

  test('none is on a user resource that the library reads or adds statements to (the user\'s topic, key and stack)', () => {
    const stack = new Stack(newApp(), 'S', { env: ENV });
    const userKey = new kms.Key(stack, 'UserKey', { enableKeyRotation: true });
    const userTopic = new sns.Topic(stack, 'UserTopic', { masterKey: userKey });
    PrivateLinkHandler.configure(stack, { logEncryptionKey: userKey });
    const service = PrivateEndpointService.fromEndpointServiceId(stack, 'Service', 'vpce-svc-0aaaaaaaaaaaaaaa0');
    new ConnectionApproval(stack, 'Approval', { service, endpointIds: ['vpce-0a1b2c3d4e5f60718'] }).addAlarms({ topic: userTopic });
    const acknowledged = (construct: Construct) => construct.node.metadata.some(entry => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      || (CfnResource.isCfnResource(construct) && construct.getMetadata('guard') !== undefined);
    const onUser = [stack, ...stack.node.findAll()].filter(c => !isLibraryResource(c) && acknowledged(c as Construct)).map(c => c.node.path);
    expect(onUser).toEqual([]);
    // The key statements the library added to the user's key are not acknowledgements, and the user's key keeps no deny.
    expect(JSON.stringify(keyStatements(stack, userKey))).not.toContain('CreateGrant');
  });

  test('a guard acknowledgement keeps what others wrote under Metadata.guard (before: other keys were dropped)', () => {
    const stack = new Stack(newApp(), 'S');
    const resource = new CfnResource(stack, 'R', { type: 'AWS::SQS::Queue' });
    resource.addMetadata('guard', { SuppressedRules: ['user_rule'], Reasons: { user_rule: 'mine' }, Owner: 'platform-team' });
    acknowledgeGuardRule(resource, 'sqs_dlq_check', 'the library\'s');
    acknowledgeGuardRule(resource, 'sqs_dlq_check', 'again');
    expect(Template.fromStack(stack).toJSON().Resources.R.Metadata.guard).toEqual({
      SuppressedRules: ['user_rule', 'sqs_dlq_check'],
      Reasons: { user_rule: 'mine', sqs_dlq_check: 'the library\'s' },
      Owner: 'platform-team',
    });
  });

  test('the metadata is deterministic: two syntheses of the same app write the same guard metadata in the same order', () => {
    const synth = () => {
      serviceNumber = 900;
      const stack = new Stack(newApp(), 'S', { env: ENV });
      addEveryHandlerPart(stack);
      const resources = Template.fromStack(stack).toJSON().Resources;
      return JSON.stringify(Object.entries(resources).map(([id, resource]: [string, any]) => [id, resource.Metadata?.guard]));
    };
    const first = synth();
    expect(first).toContain('lambda_inside_vpc_check');
    expect(synth()).toEqual(first);
  });

  test('the reasons say what is true: CloudFormation invokes the framework asynchronously; the reservation minimum is 100', () => {
    const stack = new Stack(newApp(), 'S', { env: ENV });
    addApproval(stack);
    const reasons = JSON.stringify(stack.node.findAll().flatMap(c => c.node.metadata
      .filter(entry => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map(entry => entry.data)));
    expect(reasons).toContain('CloudFormation invokes onEvent asynchronously');
    expect(reasons).not.toContain('invoked synchronously (by CloudFormation');
    expect(reasons).toContain('(100 at the default quota)');
    expect(reasons).not.toContain('keeps 10 unreserved');
  });
});
