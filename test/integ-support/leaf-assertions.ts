import { ExpectedResult, IApiCall, IntegTest, WaiterStateMachineOptions } from '@aws-cdk/integ-tests-alpha';

/**
 * The value at one path of a flattened API response, exactly.
 *
 * `ExpectedResult.exact()` cannot serve: the assertion handler of integ-tests-alpha does not
 * decode its `$Exact` wrapper, so it never matches. A flattened response has every JSON string
 * parsed (an account ID becomes a number, `'true'` a boolean), and the handler parses the
 * expected value the same way when it is given as it is: both sides end up alike. A falsy
 * value (`false`, `0`, `''`) cannot be asserted: the handler takes a falsy actual value for none.
 */
export class LeafValue extends ExpectedResult {
  public readonly result: string;

  constructor(value: string | number | boolean) {
    super();
    this.result = String(value);
  }
}

/** An AWS API call of the assertion stack. */
export interface ApiCallSpec {
  /** The SDK service, such as `EC2`. */
  readonly service: string;
  /** The SDK method, such as `describeVpcEndpoints`. */
  readonly api: string;
  /** The request parameters. */
  readonly parameters: Record<string, unknown>;
}

/**
 * Asserts leaves of an API response, one call per path, so that each response the handler
 * returns to CloudFormation holds that one value (the whole response could exceed the 4,096
 * bytes CloudFormation accepts from a custom resource). The first path is asserted first:
 * with `waitFor`, until it matches, and the others after it.
 */
export function assertLeaves(
  integ: IntegTest, call: ApiCallSpec, leaves: Record<string, string | number | boolean>, waitFor?: WaiterStateMachineOptions,
): IApiCall[] {
  const calls = Object.entries(leaves).map(([path, value]) =>
    integ.assertions.awsApiCall(call.service, call.api, call.parameters).assertAtPath(path, new LeafValue(value)));
  const [first, ...rest] = calls;
  if (waitFor) first.waitForAssertions(waitFor);
  rest.forEach(next => first.next(next));
  return calls;
}
