import { Annotations, Stack } from 'aws-cdk-lib';
import { Annotations as Found, Match } from 'aws-cdk-lib/assertions';
import { ConnectionApproval, ConnectionApprovalOptions, EndpointRemoval, PrivateEndpointService } from '../../src';
import { newStack } from '../helpers';

const WARNING_ID = 'cdk-privatelink:emptyApprovalList';
const SERVICE_ID = 'vpce-svc-0123456789abcdef0';
const ID_A = 'vpce-0123456789abcdef0';
const REJECTS_PENDING = 'with rejectUnlisted: true it rejects every pending connection request to the service at each deployment';
const NOTHING_TO_KEEP = 'with onRemoval: EndpointRemoval.REJECT nothing is listed to keep, so every connection that an earlier '
  + 'deployment of it listed is rejected once this deployment succeeds, and there is nothing listed to reject on removal';

function approve(stack: Stack, options: ConnectionApprovalOptions = {}): ConnectionApproval {
  return new ConnectionApproval(stack, 'Approval', {
    service: PrivateEndpointService.fromEndpointServiceId(stack, 'Service', SERVICE_ID),
    ...options,
  });
}

function warnings(stack: Stack): string[] {
  return Found.fromStack(stack).findWarning('*', Match.stringLikeRegexp(WARNING_ID)).map(warning => String(warning.entry.data));
}

describe('ConnectionApproval: an empty list that rejects', () => {
  test('with rejectUnlisted, warns that every pending request is rejected at each deployment', () => {
    const stack = newStack();
    approve(stack, { rejectUnlisted: true });
    const found = Found.fromStack(stack).findWarning('/Stack/Approval/Resource', Match.stringLikeRegexp(WARNING_ID));
    expect(found).toHaveLength(1);
    expect(found[0].entry.data).toBe(`Connection approval of Stack/Service lists no endpoint IDs: ${REJECTS_PENDING}, and a rejected `
      + 'request cannot be accepted later. Add endpoint IDs with addEndpointIds() or approveEndpoints(), or acknowledge this '
      + `warning if that is intended. [ack: ${WARNING_ID}]`);
  });

  test('with onRemoval REJECT, warns that nothing is listed to keep or to reject on removal', () => {
    const stack = newStack();
    approve(stack, { onRemoval: EndpointRemoval.REJECT });
    const found = warnings(stack);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`lists no endpoint IDs: ${NOTHING_TO_KEEP}.`);
    expect(found[0]).not.toContain('rejectUnlisted');
  });

  test('with both, one warning names both consequences', () => {
    const stack = newStack();
    approve(stack, { rejectUnlisted: true, onRemoval: EndpointRemoval.REJECT });
    const found = warnings(stack);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(REJECTS_PENDING);
    expect(found[0]).toContain(NOTHING_TO_KEEP);
  });

  test('an approval that never rejects gives no warning, even with no IDs', () => {
    const stack = newStack();
    approve(stack, { onRemoval: EndpointRemoval.LEAVE, rejectUnlisted: false });
    expect(warnings(stack)).toEqual([]);
  });

  test('a non-empty list gives no warning', () => {
    const stack = newStack();
    approve(stack, { endpointIds: [ID_A], rejectUnlisted: true, onRemoval: EndpointRemoval.REJECT });
    expect(warnings(stack)).toEqual([]);
  });

  test('IDs added after construction count: the list is judged at synthesis', () => {
    const stack = newStack();
    approve(stack, { rejectUnlisted: true }).addEndpointIds(ID_A);
    expect(warnings(stack)).toEqual([]);
  });

  test('acknowledging the warning on the stack or on the approval silences it', () => {
    const onStack = newStack();
    approve(onStack, { rejectUnlisted: true });
    Annotations.of(onStack).acknowledgeWarning(WARNING_ID, 'This stack only rejects');
    expect(warnings(onStack)).toEqual([]);

    const onApproval = newStack();
    Annotations.of(approve(onApproval, { onRemoval: EndpointRemoval.REJECT })).acknowledgeWarning(WARNING_ID);
    expect(warnings(onApproval)).toEqual([]);
  });
});
