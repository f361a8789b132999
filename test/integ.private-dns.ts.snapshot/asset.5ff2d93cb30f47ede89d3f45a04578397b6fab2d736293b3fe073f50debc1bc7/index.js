"use strict";
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// lambda/approval/index.ts
var index_exports = {};
__export(index_exports, {
  handle: () => handle,
  handler: () => handler
});
module.exports = __toCommonJS(index_exports);
var import_client_cloudformation2 = require("@aws-sdk/client-cloudformation");

// lambda/approval/ec2.ts
var import_client_ec2 = require("@aws-sdk/client-ec2");

// lambda/approval/pages.ts
var MAX_PAGES = 1e3;
async function* pagesOnce(pages, what) {
  const seen = /* @__PURE__ */ new Set();
  for await (const page of pages) {
    const token = page.NextToken;
    if (token !== void 0 && token !== "") {
      if (seen.has(token)) {
        throw new Error(`${what} returned the NextToken '${abbreviate(token)}' a second time after ${seen.size} pages: the API is looping, so the list is incomplete and nothing was decided from it.`);
      }
      if (seen.size >= MAX_PAGES) throw new Error(`${what} returned more than ${MAX_PAGES} pages: nothing was decided from an incomplete list.`);
      seen.add(token);
    }
    yield page;
  }
}
function abbreviate(token) {
  return token.length > 40 ? `${token.slice(0, 40)}\u2026` : token;
}

// lambda/approval/ec2.ts
var PAGE_SIZE = 1e3;
var BATCH_SIZE = 1e3;
var SDK_RETRY = { retryMode: "standard", maxAttempts: 8 };
function newEc2Client(config = {}) {
  return new import_client_ec2.EC2Client({ ...SDK_RETRY, ...config });
}
async function describeConnections(ec2, serviceId, endpointIds) {
  const filters = [{ Name: "service-id", Values: [serviceId] }];
  if (endpointIds) filters.push({ Name: "vpc-endpoint-id", Values: [...endpointIds] });
  const connections = [];
  const pages = (0, import_client_ec2.paginateDescribeVpcEndpointConnections)({ client: ec2, pageSize: PAGE_SIZE, stopOnSameToken: true }, { Filters: filters });
  for await (const page of pagesOnce(pages, `DescribeVpcEndpointConnections for ${serviceId}`)) {
    for (const item of page.VpcEndpointConnections ?? []) {
      if (!item.VpcEndpointId || !item.ServiceId) continue;
      connections.push({
        endpointId: item.VpcEndpointId,
        serviceId: item.ServiceId,
        state: item.VpcEndpointState ?? "unknown",
        owner: item.VpcEndpointOwner
      });
    }
  }
  return connections;
}
var NO_RESOURCE_ID = "(no resource ID)";
var PERMISSION_RETRY_DELAYS_MS = [5e3, 1e4, 2e4, 3e4];
function acceptConnections(ec2, serviceId, endpointIds, sleep) {
  return changeConnections(ec2, import_client_ec2.AcceptVpcEndpointConnectionsCommand, serviceId, endpointIds, sleep);
}
function rejectConnections(ec2, serviceId, endpointIds, sleep) {
  return changeConnections(ec2, import_client_ec2.RejectVpcEndpointConnectionsCommand, serviceId, endpointIds, sleep);
}
async function changeConnections(ec2, command, serviceId, endpointIds, sleep) {
  const failures = [];
  for (const batch of batches(endpointIds)) {
    const response = await withPermissionRetry(() => ec2.send(new command({ ServiceId: serviceId, VpcEndpointIds: batch })), sleep);
    failures.push(...toFailures(response.Unsuccessful));
  }
  return failures;
}
async function withPermissionRetry(call, sleep) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (error.name !== "UnauthorizedOperation" || attempt >= PERMISSION_RETRY_DELAYS_MS.length) throw error;
      await sleep(PERMISSION_RETRY_DELAYS_MS[attempt]);
    }
  }
}
function batches(ids) {
  const result = [];
  for (let start = 0; start < ids.length; start += BATCH_SIZE) result.push(ids.slice(start, start + BATCH_SIZE));
  return result;
}
function toFailures(items) {
  return (items ?? []).map((item) => ({
    endpointId: item.ResourceId ?? NO_RESOURCE_ID,
    code: item.Error?.Code ?? "(no code)",
    message: item.Error?.Message ?? ""
  }));
}

// src/approval/handler-contract.ts
var APPROVAL_RESOURCE_TYPE = "Custom::VpcEndpointConnectionApproval";
var APPROVAL_PROPERTY = {
  serviceId: "ServiceId",
  endpointIds: "EndpointIds",
  allowedOwners: "AllowedOwners",
  rejectUnlisted: "RejectUnlisted",
  onRemoval: "OnRemoval",
  waitSeconds: "WaitSeconds",
  acceptOnArrival: "AcceptOnArrival",
  unlistedAccepted: "UnlistedAccepted"
};
var UNLISTED_ACCEPTED_ACTIONS = ["report", "reject"];
var DECISION_OUTCOME = {
  /** A listed request EC2 accepted. */
  accepted: "accepted",
  /** A connection EC2 rejected. */
  rejected: "rejected",
  /** An unlisted request left pending. */
  leftPending: "leftPending",
  /** A listed ID whose connection cannot be accepted (its state or its owner). */
  blocked: "blocked",
  /** A listed ID with no connection request to the service. */
  missing: "missing",
  /** A listed request pending acceptance that only a deployment accepts (no late arrivals). */
  awaitingAcceptance: "awaitingAcceptance",
  /** A listed connection already accepted: nothing to do. */
  unchanged: "unchanged",
  /** The connection of an ID removed from the list, left as it is. */
  leftRemoved: "leftRemoved",
  /** A connection accepted although the approval does not approve it, reported. */
  acceptedOutsideApproval: "acceptedOutsideApproval",
  /** A rejection that the cleanup after the update carries out. */
  deferred: "deferred",
  /** An Accept or Reject that EC2 did not carry out. */
  failed: "failed",
  /** A change the run did not make, because it failed first. */
  notCarriedOut: "notCarriedOut"
};
var LOG_EVENT = { decision: "decision", runFailed: "runFailed" };
var APPROVAL_STACK_ENV = "APPROVAL_STACK_ID";
var ENFORCEMENT_TOPIC_ENV = "APPROVAL_ENFORCEMENT_TOPIC_ARN";
var PHYSICAL_ID_ATTRIBUTES = {
  "AWS::EC2::VPCEndpoint": ["Id"],
  "AWS::EC2::VPCEndpointService": ["ServiceId"]
};
function isIntrinsicName(key) {
  return key === "Ref" || key === "Condition" || key.startsWith("Fn::");
}
function getAttParts(argument) {
  if (typeof argument !== "string") return argument;
  const at = argument.indexOf(".");
  return at < 0 ? [argument] : [argument.slice(0, at), argument.slice(at + 1)];
}

// lambda/approval/log.ts
function logDecision(serviceId, trigger, decision) {
  console.info({ event: LOG_EVENT.decision, serviceId, trigger, ...decision });
}
function logEvent(event, details) {
  console.info({ event, ...details });
}
var LOGGED = /* @__PURE__ */ new WeakSet();
function logRunFailed(trigger, serviceId, error) {
  logEvent(LOG_EVENT.runFailed, { serviceId: serviceId ?? "unknown", trigger, error: error?.message ?? String(error) });
  if (error !== null && typeof error === "object") LOGGED.add(error);
}
function markLogged(error) {
  LOGGED.add(error);
  return error;
}
function isLogged(error) {
  return error !== null && typeof error === "object" && LOGGED.has(error);
}
async function forService(trigger, serviceId, work) {
  try {
    return await work();
  } catch (error) {
    if (!isLogged(error)) logRunFailed(trigger, serviceId, error);
    throw error;
  }
}

// lambda/approval/phase.ts
var PHASES = {
  CREATE_IN_PROGRESS: "create",
  UPDATE_IN_PROGRESS: "update",
  UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: "cleanup",
  DELETE_IN_PROGRESS: "delete",
  ROLLBACK_IN_PROGRESS: "rollback",
  UPDATE_ROLLBACK_IN_PROGRESS: "rollback",
  UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS: "rollback",
  IMPORT_ROLLBACK_IN_PROGRESS: "rollback",
  CREATE_COMPLETE: "settled",
  UPDATE_COMPLETE: "settled",
  UPDATE_ROLLBACK_COMPLETE: "settled",
  IMPORT_COMPLETE: "settled",
  IMPORT_ROLLBACK_COMPLETE: "settled"
};
function phaseOf(status) {
  return PHASES[status] ?? "other";
}
async function currentPhase(stack, fresh = false) {
  const status = (await stack.describe(fresh)).StackStatus ?? "";
  return { phase: phaseOf(status), status };
}
async function restingPhase(stack, details) {
  const { phase, status } = await currentPhase(stack);
  if (phase === "settled") return phase;
  logEvent("skipped", { ...details, stackStatus: status });
  return void 0;
}
var EVENT_RETRY_DELAYS_MS = [2e3, 5e3, 1e4];
async function isInProgress(stack, request, sleep) {
  const expected = `${request.requestType.toUpperCase()}_IN_PROGRESS`;
  for (let attempt = 0; ; attempt++) {
    const status = (await stack.describe(attempt > 0)).StackStatus;
    const { phaseStatus, events } = await stack.currentPhaseEvents();
    const resource = events.find((event) => event.LogicalResourceId === request.logicalId);
    const agrees = phaseStatus === status;
    if (agrees && resource?.ResourceStatus === expected && (request.physicalId === void 0 || resource.PhysicalResourceId === request.physicalId)) return true;
    const settled = agrees && resource !== void 0;
    if (settled || attempt >= EVENT_RETRY_DELAYS_MS.length) return false;
    await sleep(EVENT_RETRY_DELAYS_MS[attempt]);
  }
}
function notCarriedOut(request, why) {
  const target = request.physicalId ? `${request.logicalId} (${request.physicalId})` : request.logicalId;
  return new Error(`Refused a ${request.requestType} request for ${target}: CloudFormation is not carrying it out (${why}). Nothing was changed. The handler acts only on requests that CloudFormation is carrying out for its own stack.`);
}

// lambda/approval/stack.ts
var import_client_cloudformation = require("@aws-sdk/client-cloudformation");
var STACK_ARN = /^arn:([a-z0-9-]+):cloudformation:([a-z0-9-]+):(\d{12}):stack\/([A-Za-z][A-Za-z0-9-]*)\/[A-Za-z0-9-]+$/;
function parseStackArn(stackId) {
  const match = STACK_ARN.exec(stackId);
  return match ? { partition: match[1], region: match[2], account: match[3], name: match[4] } : void 0;
}
var StackReader = class {
  constructor(cloudformation, stackId) {
    this.cloudformation = cloudformation;
    this.stackId = stackId;
  }
  cloudformation;
  stackId;
  stack;
  template;
  physicalIds;
  exports;
  /** The stack as DescribeStacks reports it now (read again with `fresh`). */
  describe(fresh = false) {
    if (fresh || !this.stack) this.stack = this.readStack();
    return this.stack;
  }
  /** The template CloudFormation holds for the stack, after transforms. */
  getTemplate() {
    this.template ??= this.readTemplate();
    return this.template;
  }
  /** Physical IDs by logical ID, of the stack's resources. */
  getPhysicalIds() {
    this.physicalIds ??= this.readPhysicalIds();
    return this.physicalIds;
  }
  /** Export values by export name, in the stack's account and Region. */
  getExports() {
    this.exports ??= this.readExports();
    return this.exports;
  }
  /**
   * The events of the stack's current operation phase, newest first: every event newer than
   * the newest event of the stack itself, which marks the start of the phase; and that event's status.
   */
  async currentPhaseEvents() {
    const events = [];
    const pages = (0, import_client_cloudformation.paginateDescribeStackEvents)({ client: this.cloudformation, stopOnSameToken: true }, { StackName: this.stackId });
    for await (const page of pagesOnce(pages, `DescribeStackEvents for ${this.stackId}`)) {
      for (const event of page.StackEvents ?? []) {
        if (event.PhysicalResourceId === this.stackId && event.ResourceType === "AWS::CloudFormation::Stack") {
          return { phaseStatus: event.ResourceStatus, events };
        }
        events.push(event);
      }
    }
    return { events };
  }
  async readStack() {
    const response = await this.cloudformation.send(new import_client_cloudformation.DescribeStacksCommand({ StackName: this.stackId }));
    const stack = response.Stacks?.find((s) => s.StackId === this.stackId);
    if (!stack?.StackStatus) throw new Error(`DescribeStacks did not return the stack ${this.stackId} with its status.`);
    return stack;
  }
  async readTemplate() {
    const response = await this.cloudformation.send(new import_client_cloudformation.GetTemplateCommand({ StackName: this.stackId, TemplateStage: "Processed" }));
    try {
      const template = JSON.parse(response.TemplateBody ?? "");
      if (template === null || typeof template !== "object") throw new Error("not an object");
      return template;
    } catch (error) {
      throw new Error(`The template of stack ${this.stackId} is not a JSON object (${error.message}); the approval handler reads only JSON templates, as the AWS CDK writes them.`);
    }
  }
  async readPhysicalIds() {
    const ids = /* @__PURE__ */ new Map();
    const pages = (0, import_client_cloudformation.paginateListStackResources)({ client: this.cloudformation, stopOnSameToken: true }, { StackName: this.stackId });
    for await (const page of pagesOnce(pages, `ListStackResources for ${this.stackId}`)) {
      for (const resource of page.StackResourceSummaries ?? []) {
        if (resource.LogicalResourceId && resource.PhysicalResourceId) ids.set(resource.LogicalResourceId, resource.PhysicalResourceId);
      }
    }
    return ids;
  }
  async readExports() {
    const values = /* @__PURE__ */ new Map();
    const pages = (0, import_client_cloudformation.paginateListExports)({ client: this.cloudformation, stopOnSameToken: true }, {});
    for await (const page of pagesOnce(pages, "ListExports")) {
      for (const entry of page.Exports ?? []) {
        if (entry.Name !== void 0 && entry.Value !== void 0) values.set(entry.Name, entry.Value);
      }
    }
    return values;
  }
};

// lambda/approval/generation.ts
var import_crypto = require("crypto");
function canonical(properties2) {
  const { policy } = properties2;
  return JSON.stringify({
    serviceId: policy.serviceId,
    listed: [...policy.listed].sort(),
    allowedOwners: policy.allowedOwners ? [...policy.allowedOwners].sort() : null,
    rejectUnlisted: policy.rejectUnlisted,
    onRemoval: properties2.onRemoval,
    waitSeconds: properties2.waitSeconds,
    acceptOnArrival: properties2.acceptOnArrival,
    ...properties2.unlistedAccepted === "report" ? {} : { unlistedAccepted: properties2.unlistedAccepted }
  });
}
function generationId(stackId, logicalId, nonce, properties2) {
  return boundId(stackId, logicalId, nonce, properties2.policy.serviceId, canonical(properties2));
}
function isGenerationOf(physicalId, stackId, logicalId, properties2) {
  return isBoundId(physicalId, stackId, logicalId, properties2.policy.serviceId, canonical(properties2));
}
function boundId(stackId, logicalId, nonce, prefix, text) {
  const safeNonce = nonce.replace(/[^A-Za-z0-9-]/g, "");
  return `${prefix}/${safeNonce}/${digest(stackId, logicalId, safeNonce, text)}`;
}
function isBoundId(physicalId, stackId, logicalId, prefix, text) {
  const parts = physicalId.split("/");
  if (parts.length !== 3 || parts[0] !== prefix) return false;
  return parts[2] === digest(stackId, logicalId, parts[1], text);
}
function digest(stackId, logicalId, nonce, text) {
  return (0, import_crypto.createHash)("sha256").update(JSON.stringify([stackId, logicalId, nonce, text])).digest("hex");
}

// src/validation/formats.ts
var ENDPOINT_ID = /^vpce-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
var ENDPOINT_SERVICE_ID = /^vpce-svc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
var ACCOUNT_ID = /^\d{12}$/;
function isAccountId(value) {
  return ACCOUNT_ID.test(value);
}
function isEndpointServiceId(value) {
  return ENDPOINT_SERVICE_ID.test(value);
}
function isEndpointId(value) {
  return ENDPOINT_ID.test(value);
}
function endpointIdProblem(value) {
  if (isEndpointId(value)) return void 0;
  const digits = value.startsWith("vpce-") ? value.slice("vpce-".length) : "";
  let why;
  if (/\s/.test(value)) why = "it contains whitespace";
  else if (value !== value.toLowerCase()) why = "it has upper-case letters";
  else if (value.startsWith("vpce-svc-")) why = "it is an endpoint service ID, not an endpoint ID";
  else if (!value.startsWith("vpce-")) why = "it does not start with 'vpce-'";
  else if (!/^[0-9a-f]*$/.test(digits)) why = "it has characters other than 0-9 and a-f after 'vpce-'";
  else why = `it has ${digits.length} hexadecimal characters after 'vpce-'`;
  return `Invalid VPC endpoint ID '${value}': ${why}; expected 'vpce-' followed by 8 or 17 lowercase hexadecimal characters, like 'vpce-0123456789abcdef0'.`;
}
function repeatedValues(values) {
  const seen = /* @__PURE__ */ new Set();
  const repeated = /* @__PURE__ */ new Set();
  for (const value of values) {
    if (seen.has(value)) repeated.add(value);
    seen.add(value);
  }
  return [...repeated];
}

// lambda/approval/properties.ts
function parseProperties(raw) {
  const props = raw ?? {};
  const serviceId = String(props[APPROVAL_PROPERTY.serviceId] ?? "");
  if (!isEndpointServiceId(serviceId)) {
    throw new Error(`Invalid endpoint service ID '${serviceId}': expected 'vpce-svc-' followed by 8 or 17 lowercase hexadecimal characters.`);
  }
  const listed = stringList(props[APPROVAL_PROPERTY.endpointIds], APPROVAL_PROPERTY.endpointIds);
  const problems = listed.map(endpointIdProblem).filter((problem) => problem !== void 0);
  const repeated = repeatedValues(listed);
  if (repeated.length > 0) problems.push(`Endpoint IDs listed more than once: ${repeated.join(", ")}; list each ID once.`);
  const ownersRaw = props[APPROVAL_PROPERTY.allowedOwners];
  const allowedOwners = ownersRaw === void 0 ? void 0 : stringList(ownersRaw, APPROVAL_PROPERTY.allowedOwners);
  for (const owner of allowedOwners ?? []) {
    if (!isAccountId(owner)) problems.push(`Invalid allowed owner '${owner}': expected a 12-digit AWS account ID.`);
  }
  const onRemoval = String(props[APPROVAL_PROPERTY.onRemoval] ?? "leave");
  if (onRemoval !== "reject" && onRemoval !== "leave") problems.push(`Invalid OnRemoval '${onRemoval}': expected 'reject' or 'leave'.`);
  const waitSeconds = wholeNumber(props[APPROVAL_PROPERTY.waitSeconds] ?? 0);
  if (!Number.isInteger(waitSeconds) || waitSeconds < 0) problems.push(`Invalid WaitSeconds '${props[APPROVAL_PROPERTY.waitSeconds]}': expected a whole number of seconds, 0 or more.`);
  const unlistedAccepted = String(props[APPROVAL_PROPERTY.unlistedAccepted] ?? "report");
  if (!UNLISTED_ACCEPTED_ACTIONS.includes(unlistedAccepted)) {
    problems.push(`Invalid UnlistedAccepted '${unlistedAccepted}': expected ${UNLISTED_ACCEPTED_ACTIONS.map((a) => `'${a}'`).join(" or ")}.`);
  }
  if (unlistedAccepted === "reject" && onRemoval !== "reject") {
    problems.push("UnlistedAccepted 'reject' needs OnRemoval 'reject': it rejects the connections of removed IDs, which OnRemoval 'leave' keeps.");
  }
  if (problems.length > 0) throw new Error(`Connection approval for ${serviceId} has bad properties: ${problems.join(" ")}`);
  return {
    policy: { serviceId, listed, allowedOwners, rejectUnlisted: String(props[APPROVAL_PROPERTY.rejectUnlisted]) === "true" },
    onRemoval,
    waitSeconds,
    acceptOnArrival: String(props[APPROVAL_PROPERTY.acceptOnArrival]) === "true",
    unlistedAccepted
  };
}
function stringList(value, name) {
  if (value === void 0) return [];
  if (!Array.isArray(value)) throw new Error(`Invalid ${name}: expected a list of strings, got ${JSON.stringify(value)}.`);
  return value.map(String);
}
function wholeNumber(value) {
  if (typeof value === "number") return value;
  return typeof value === "string" && /^[0-9]{1,10}$/.test(value) ? Number(value) : NaN;
}

// lambda/approval/resolve.ts
var NO_VALUE = /* @__PURE__ */ Symbol("AWS::NoValue");
var UnresolvableError = class extends Error {
};
var NotCreatedYetError = class extends UnresolvableError {
};
var URL_SUFFIXES = {
  "aws": "amazonaws.com",
  "aws-cn": "amazonaws.com.cn",
  "aws-us-gov": "amazonaws.com",
  "aws-iso": "c2s.ic.gov",
  "aws-iso-b": "sc2s.sgov.gov"
};
var TemplateResolver = class {
  constructor(stack) {
    this.stack = stack;
  }
  stack;
  async resolve(value) {
    const resolved = await this.value(value);
    return resolved === NO_VALUE ? void 0 : resolved;
  }
  async value(value) {
    if (Array.isArray(value)) {
      const items = [];
      for (const item of value) {
        const resolved = await this.value(item);
        if (resolved !== NO_VALUE) items.push(resolved);
      }
      return items;
    }
    if (value === null || typeof value !== "object") return value;
    const entries = Object.entries(value);
    if (entries.length === 1 && isIntrinsicName(entries[0][0])) return this.intrinsic(entries[0][0], entries[0][1]);
    const result = {};
    for (const [key, item] of entries) {
      const resolved = await this.value(item);
      if (resolved !== NO_VALUE) result[key] = resolved;
    }
    return result;
  }
  async intrinsic(name, argument) {
    switch (name) {
      case "Ref":
        return this.ref(argument);
      case "Fn::GetAtt":
        return this.getAtt(argument);
      case "Fn::ImportValue":
        return this.importValue(argument);
      case "Fn::Join":
        return this.join(argument);
      case "Fn::Select":
        return this.select(argument);
      case "Fn::Split":
        return this.split(argument);
      case "Fn::Sub":
        return this.sub(argument);
      default:
        throw unresolvable(name, argument, "this function is not one the approval handler resolves");
    }
  }
  async ref(argument) {
    if (typeof argument !== "string") throw unresolvable("Ref", argument, "expected the name of a parameter or resource");
    if (argument.startsWith("AWS::")) return this.pseudo(argument);
    const template = await this.stack.getTemplate();
    const parameter = template.Parameters?.[argument];
    if (parameter) return this.parameter(argument, parameter.Type ?? "String");
    if (template.Resources?.[argument]) return this.physicalId(argument, "Ref");
    throw unresolvable("Ref", argument, "the template has no parameter or resource of that name");
  }
  async pseudo(name) {
    const arn = parseStackArn(this.stack.stackId);
    if (!arn) throw unresolvable("Ref", name, `the stack ID ${this.stack.stackId} is not a stack ARN`);
    switch (name) {
      case "AWS::AccountId":
        return arn.account;
      case "AWS::Region":
        return arn.region;
      case "AWS::Partition":
        return arn.partition;
      case "AWS::StackId":
        return this.stack.stackId;
      case "AWS::StackName":
        return arn.name;
      case "AWS::NoValue":
        return NO_VALUE;
      case "AWS::URLSuffix": {
        const suffix = URL_SUFFIXES[arn.partition];
        if (!suffix) throw unresolvable("Ref", name, `no URL suffix is known for the partition ${arn.partition}`);
        return suffix;
      }
      default:
        throw unresolvable("Ref", name, "this pseudo parameter is not one the approval handler resolves");
    }
  }
  async parameter(name, type) {
    const stack = await this.stack.describe();
    const parameter = stack.Parameters?.find((p) => p.ParameterKey === name);
    const fromSsm = type.startsWith("AWS::SSM::Parameter::");
    const value = fromSsm ? parameter?.ResolvedValue : parameter?.ParameterValue;
    if (value === void 0) {
      throw unresolvable("Ref", name, `DescribeStacks reports no ${fromSsm ? "ResolvedValue for this Systems Manager parameter" : "value for this parameter"}`);
    }
    const isList = /^List<.*>$/.test(type) || type === "CommaDelimitedList" || /^AWS::SSM::Parameter::Value<List<.*>>$/.test(type);
    return isList ? value.split(",").map((item) => item.trim()) : value;
  }
  async physicalId(logicalId, how) {
    const physicalId = (await this.stack.getPhysicalIds()).get(logicalId);
    if (!physicalId) throw unresolvable(how, logicalId, "ListStackResources reports no physical ID for this resource", NotCreatedYetError);
    return physicalId;
  }
  async getAtt(argument) {
    const parts = getAttParts(argument);
    if (!Array.isArray(parts) || parts.length !== 2 || typeof parts[0] !== "string") {
      throw unresolvable("Fn::GetAtt", argument, "expected [logicalId, attribute]");
    }
    const [logicalId, attributeArg] = parts;
    const attribute = await this.value(attributeArg);
    const type = (await this.stack.getTemplate()).Resources?.[logicalId]?.Type ?? "(no such resource)";
    if (typeof attribute !== "string" || !(PHYSICAL_ID_ATTRIBUTES[type] ?? []).includes(attribute)) {
      throw unresolvable("Fn::GetAtt", argument, `the attribute of a ${type} is not one the approval handler resolves`);
    }
    return this.physicalId(logicalId, "Fn::GetAtt");
  }
  async importValue(argument) {
    const name = await this.value(argument);
    if (typeof name !== "string") throw unresolvable("Fn::ImportValue", argument, "expected an export name");
    const value = (await this.stack.getExports()).get(name);
    if (value === void 0) throw unresolvable("Fn::ImportValue", name, "ListExports reports no export of that name");
    return value;
  }
  async join(argument) {
    if (!Array.isArray(argument) || argument.length !== 2 || typeof argument[0] !== "string") {
      throw unresolvable("Fn::Join", argument, "expected [delimiter, list]");
    }
    const items = await this.value(argument[1]);
    if (!Array.isArray(items) || !items.every(isScalar)) throw unresolvable("Fn::Join", argument, "expected a list of strings");
    return items.map(String).join(argument[0]);
  }
  async select(argument) {
    if (!Array.isArray(argument) || argument.length !== 2) throw unresolvable("Fn::Select", argument, "expected [index, list]");
    const index = Number(await this.value(argument[0]));
    const items = await this.value(argument[1]);
    if (!Array.isArray(items) || !Number.isInteger(index) || index < 0 || index >= items.length) {
      throw unresolvable("Fn::Select", argument, "the index is not within the list");
    }
    return items[index];
  }
  async split(argument) {
    if (!Array.isArray(argument) || argument.length !== 2 || typeof argument[0] !== "string" || argument[0] === "") {
      throw unresolvable("Fn::Split", argument, "expected [delimiter, string]");
    }
    const text = await this.value(argument[1]);
    if (typeof text !== "string") throw unresolvable("Fn::Split", argument, "expected a string to split");
    return text.split(argument[0]);
  }
  async sub(argument) {
    const [text, variables] = Array.isArray(argument) ? argument : [argument, {}];
    if (typeof text !== "string" || variables === null || typeof variables !== "object" || Array.isArray(variables)) {
      throw unresolvable("Fn::Sub", argument, "expected a string, or [string, variables]");
    }
    const values = /* @__PURE__ */ new Map();
    for (const [name, variable] of Object.entries(variables)) {
      const resolved = await this.value(variable);
      if (!isScalar(resolved)) throw unresolvable("Fn::Sub", argument, `the variable ${name} is not a string`);
      values.set(name, String(resolved));
    }
    let result = "";
    let rest = text;
    for (let start = rest.indexOf("${"); start >= 0; start = rest.indexOf("${")) {
      const end = rest.indexOf("}", start);
      if (end < 0) throw unresolvable("Fn::Sub", argument, "a ${ is not closed");
      const name = rest.slice(start + 2, end);
      result += rest.slice(0, start);
      if (name.startsWith("!")) result += `\${${name.slice(1)}}`;
      else result += values.get(name) ?? String(await this.subVariable(name, argument));
      rest = rest.slice(end + 1);
    }
    return result + rest;
  }
  async subVariable(name, argument) {
    const resolved = name.includes(".") ? await this.getAtt(name) : await this.ref(name);
    if (!isScalar(resolved)) throw unresolvable("Fn::Sub", argument, `\${${name}} is not a string`);
    return resolved;
  }
};
function isScalar(value) {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}
function unresolvable(name, argument, why, kind = UnresolvableError) {
  const shown = JSON.stringify(argument) ?? String(argument);
  return new kind(`Cannot resolve {"${name}": ${shown.length > 200 ? `${shown.slice(0, 200)}\u2026` : shown}} from what CloudFormation holds for the stack: ${why}. Nothing was decided from it.`);
}

// lambda/approval/template-approvals.ts
var UnreadableApprovalError = class extends Error {
};
async function templateApprovals(stack, options = {}) {
  const template = await stack.getTemplate();
  const resolver = new TemplateResolver(stack);
  const approvals = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (resource?.Type !== APPROVAL_RESOURCE_TYPE) continue;
    let serviceId;
    try {
      serviceId = String(await resolver.resolve(properties(logicalId, resource)[APPROVAL_PROPERTY.serviceId]));
      if (options.serviceIds && !options.serviceIds.has(serviceId)) continue;
      const approval = parsed(await resolver.resolve(properties(logicalId, resource)));
      if (options.deployedOnly) await checkDeployed(stack, logicalId, approval);
      approvals.push({ logicalId, properties: approval });
    } catch (error) {
      if (!(error instanceof UnresolvableError || error instanceof UnreadableApprovalError)) throw error;
      const reason = `approval ${logicalId} of the template: ${error.message}`;
      const notCreated = error instanceof NotCreatedYetError && !options.deployedOnly;
      if (options.strict && !notCreated) throw new Error(`Cannot read the ${reason}`);
      logEvent("approvalUnreadable", { logicalId, reason });
      options.unreadable?.push({ logicalId, serviceId: isEndpointServiceId(serviceId ?? "") ? serviceId : void 0, reason });
    }
  }
  return approvals;
}
async function templateApproval(stack, logicalId) {
  const resource = (await stack.getTemplate()).Resources?.[logicalId];
  if (resource?.Type !== APPROVAL_RESOURCE_TYPE) {
    throw new Error(`The template of stack ${stack.stackId} has no ${APPROVAL_RESOURCE_TYPE} named ${logicalId}.`);
  }
  const resolved = await new TemplateResolver(stack).resolve(properties(logicalId, resource));
  return { logicalId, properties: parseProperties(resolved) };
}
function parsed(raw) {
  try {
    return parseProperties(raw);
  } catch (error) {
    throw new UnreadableApprovalError(error.message);
  }
}
async function checkDeployed(stack, logicalId, approval) {
  const physicalId = (await stack.getPhysicalIds()).get(logicalId);
  if (!physicalId || !isGenerationOf(physicalId, stack.stackId, logicalId, approval)) {
    throw new UnreadableApprovalError(`its resolved properties are not those its physical ID ${physicalId ?? "(none)"} was issued for: the template or a parameter is not what CloudFormation deployed, or the approval is not deployed yet.`);
  }
}
function properties(logicalId, resource) {
  if (resource.Condition !== void 0) {
    throw new UnreadableApprovalError(`the resource ${logicalId} has a Condition, which the approval handler does not evaluate`);
  }
  const all = resource.Properties ?? {};
  return Object.fromEntries(APPROVAL_PROPERTY_NAMES.filter((name) => name in all).map((name) => [name, all[name]]));
}
var APPROVAL_PROPERTY_NAMES = Object.values(APPROVAL_PROPERTY);

// lambda/approval/decide.ts
var PENDING_ACCEPTANCE = "pendingAcceptance";
var ACCEPTED_STATES = /* @__PURE__ */ new Set(["pending", "available", "partial"]);
var REJECTABLE_STATES = /* @__PURE__ */ new Set([PENDING_ACCEPTANCE, ...ACCEPTED_STATES]);
function decide(input) {
  const { policy } = input;
  const listed = new Set(policy.listed);
  const removed = new Set(input.removed ?? []);
  const elsewhere = input.listedElsewhere ?? /* @__PURE__ */ new Set();
  const owners = policy.allowedOwners ? new Set(policy.allowedOwners) : void 0;
  const byId = /* @__PURE__ */ new Map();
  for (const connection of input.connections) {
    if (connection.serviceId === policy.serviceId) byId.set(connection.endpointId, connection);
  }
  const plan = { decisions: [], accept: [], reject: [], blockers: [], missing: [] };
  const record = (decision) => {
    plan.decisions.push(decision);
    if (decision.action === "accept") plan.accept.push(decision.endpointId);
    if (decision.action === "reject") plan.reject.push(decision.endpointId);
  };
  const block = (connection, reason) => {
    plan.blockers.push({ endpointId: connection.endpointId, state: connection.state, reason });
    record({ ...describe(connection), action: "leave", outcome: DECISION_OUTCOME.blocked, reason });
  };
  const outside = (connection, why, rejectable = true) => {
    const reason = `accepted outside the approval: ${why}`;
    if (input.unlistedAccepted === "reject" && rejectable) {
      record({ ...describe(connection), action: "reject", outcome: DECISION_OUTCOME.rejected, outsideApproval: true, reason: `${reason}; unlistedAccepted is reject` });
    } else {
      record({ ...describe(connection), action: "report", outcome: DECISION_OUTCOME.acceptedOutsideApproval, outsideApproval: true, reason });
    }
  };
  for (const endpointId of listed) {
    const connection = byId.get(endpointId);
    if (!connection) {
      plan.missing.push(endpointId);
      record({ endpointId, action: "leave", outcome: DECISION_OUTCOME.missing, reason: "listed, but no connection request from this endpoint to the service" });
    } else if (owners && !owners.has(connection.owner ?? "")) {
      const why = `listed, but its owner ${connection.owner ?? "(unknown)"} is not an allowed owner`;
      if (input.unlistedAccepted && ACCEPTED_STATES.has(connection.state)) outside(connection, why, connection.owner !== void 0);
      else block(connection, why);
    } else if (connection.state === PENDING_ACCEPTANCE) {
      if (input.acceptListed === false) {
        record({ ...describe(connection), action: "leave", outcome: DECISION_OUTCOME.awaitingAcceptance, reason: "listed and pending acceptance; accepted only by a deployment (no late arrivals)" });
      } else {
        record({ ...describe(connection), action: "accept", outcome: DECISION_OUTCOME.accepted, reason: "listed and pending acceptance" });
      }
    } else if (ACCEPTED_STATES.has(connection.state)) {
      record({ ...describe(connection), action: "none", outcome: DECISION_OUTCOME.unchanged, reason: "listed and already accepted" });
    } else {
      block(connection, `listed, but its connection is ${connection.state} and cannot be accepted`);
    }
  }
  for (const connection of [...byId.values()].sort(byEndpointId)) {
    const { endpointId, state } = connection;
    if (listed.has(endpointId)) continue;
    const protectedHere = elsewhere.has(endpointId);
    const rejectUnlisted = () => record({ ...describe(connection), action: "reject", outcome: DECISION_OUTCOME.rejected, reason: "not listed; rejectUnlisted is set" });
    if (removed.has(endpointId) && REJECTABLE_STATES.has(state)) {
      if (protectedHere) {
        record({ ...describe(connection), action: "leave", outcome: DECISION_OUTCOME.unchanged, reason: "removed from this list, but another approval of the service lists it" });
      } else if (input.onRemoval === "reject") {
        record({ ...describe(connection), action: "reject", outcome: DECISION_OUTCOME.rejected, reason: "removed from the list; onRemoval is reject" });
      } else if (state === PENDING_ACCEPTANCE && policy.rejectUnlisted) {
        rejectUnlisted();
      } else {
        record({ ...describe(connection), action: "leave", outcome: DECISION_OUTCOME.leftRemoved, reason: "removed from the list; onRemoval is leave" });
      }
    } else if (state === PENDING_ACCEPTANCE) {
      if (policy.rejectUnlisted && !protectedHere) {
        rejectUnlisted();
      } else {
        record({ ...describe(connection), action: "leave", outcome: DECISION_OUTCOME.leftPending, reason: "not listed" });
      }
    } else if (input.unlistedAccepted && ACCEPTED_STATES.has(state) && !protectedHere) {
      outside(connection, "not listed");
    }
  }
  return plan;
}
function describe(connection) {
  return { endpointId: connection.endpointId, state: connection.state, owner: connection.owner };
}
function byEndpointId(a, b) {
  return a.endpointId < b.endpointId ? -1 : a.endpointId > b.endpointId ? 1 : 0;
}

// lambda/approval/approve.ts
async function approveAtDeploy(deps, request) {
  const { policy } = request;
  const input = request.lenient ? { ...request, policy: { ...policy, rejectUnlisted: false }, removed: [] } : request;
  for (let waited = false; ; waited = true) {
    const connections = await describeConnections(deps.ec2, policy.serviceId);
    const full = decide({ ...input, connections });
    const plan = request.lenient ? { ...full, blockers: [], missing: [] } : full;
    if (plan.blockers.length > 0) {
      logNotCarriedOut(policy.serviceId, request.trigger, plan);
      const details = plan.blockers.map((b) => `${b.endpointId} (state ${b.state}): ${b.reason}`);
      throw new Error(`Cannot approve connections to endpoint service ${policy.serviceId}: ${details.join("; ")}.`);
    }
    const waiting = request.acceptOnArrival ? [] : plan.missing;
    const remaining = request.waitUntil - deps.now();
    if (waiting.length > 0 && remaining > 0) {
      logEvent("waiting", { serviceId: policy.serviceId, missing: waiting, remainingSeconds: Math.ceil(remaining / 1e3) });
      await deps.sleep(Math.min(deps.pollIntervalMs, remaining));
      continue;
    }
    if (waiting.length > 0) {
      logNotCarriedOut(policy.serviceId, request.trigger, plan);
      const details = waiting.map((id) => `${id} (state: not found)`);
      throw new Error(`Cannot approve connections to endpoint service ${policy.serviceId}: no connection request to this service from ${details.join(", ")}. Check the IDs, or use MissingEndpoints.waitFor() or acceptOnArrival().`);
    }
    if (plan.missing.length > 0) logEvent("awaitingArrival", { serviceId: policy.serviceId, missing: plan.missing });
    await request.beforeChanges?.(waited);
    await carryOut(deps, request.trigger, policy.serviceId, plan);
    return plan;
  }
}
async function rejectRemoved(deps, serviceId, removed, keep) {
  if (removed.length === 0) return;
  const connections = await describeConnections(deps.ec2, serviceId);
  const plan = decide({
    policy: { serviceId, listed: [], rejectUnlisted: false },
    connections,
    removed,
    onRemoval: "reject",
    listedElsewhere: keep
  });
  await carryOut(deps, "Delete", serviceId, plan);
}
async function watchService(deps, request) {
  const { serviceId, approvals, enforce } = request;
  const active = approvals.filter((approval) => enforce || approval.acceptOnArrival);
  if (active.length === 0) return emptyPlan();
  const named = endpointsToRead(request, active);
  if (named?.length === 0) {
    logEvent("ignored", { serviceId, reason: "the notification names no endpoint that an approval of this service lists" });
    return emptyPlan();
  }
  const connections = await describeConnections(deps.ec2, serviceId, named);
  const present = new Set(connections.map((c) => c.endpointId));
  const plans = active.map((approval) => decide({
    policy: { ...approval.policy, rejectUnlisted: false },
    connections,
    listedElsewhere: new Set(active.filter((other) => other !== approval).flatMap((other) => other.policy.listed)),
    unlistedAccepted: enforce ? approval.unlistedAccepted : void 0,
    acceptListed: approval.acceptOnArrival
  }));
  const relevant = (d) => (named === void 0 || present.has(d.endpointId)) && (request.trigger === "Notification" || d.outcome !== DECISION_OUTCOME.unchanged);
  const merged = {
    decisions: plans.flatMap((plan) => plan.decisions).filter(relevant),
    accept: [...new Set(plans.flatMap((plan) => plan.accept))],
    reject: [...new Set(plans.flatMap((plan) => plan.reject))],
    blockers: plans.flatMap((plan) => plan.blockers),
    missing: []
  };
  if (merged.accept.length > 0 || merged.reject.length > 0) {
    let settled;
    try {
      settled = await request.stillSettled();
    } catch (error) {
      logNotCarriedOut(serviceId, request.trigger, merged);
      throw error;
    }
    if (!settled) {
      logNotCarriedOut(serviceId, request.trigger, merged);
      logEvent("skipped", { serviceId, reason: "a deployment began during the run: nothing was changed; the next run decides again" });
      return emptyPlan();
    }
  }
  await carryOut(deps, request.trigger, serviceId, merged);
  if (enforce) {
    const outside = merged.decisions.filter((d) => d.outsideApproval).length;
    logEvent("enforced", { serviceId, trigger: request.trigger, connections: connections.length, outsideApproval: outside });
  }
  return merged;
}
function endpointsToRead(request, approvals) {
  const named = [...request.endpointIds].sort();
  const listed = new Set(approvals.flatMap((approval) => approval.policy.listed));
  if (!request.enforce) return named.length > 0 ? named.filter((id) => listed.has(id)) : [...listed].sort();
  return named.length > 0 && named.length <= MAX_NAMED_ENDPOINTS ? named : void 0;
}
var MAX_NAMED_ENDPOINTS = 20;
function emptyPlan() {
  return { decisions: [], accept: [], reject: [], blockers: [], missing: [] };
}
async function carryOut(deps, trigger, serviceId, plan) {
  const changes = (action) => plan.decisions.filter((d) => d.action === action);
  logDecisions(serviceId, trigger, plan.decisions.filter((d) => d.action !== "accept" && d.action !== "reject"));
  const acceptFailures = await orLogNotCarriedOut(
    serviceId,
    trigger,
    [...changes("accept"), ...changes("reject")],
    async () => unsettled(deps, serviceId, await acceptConnections(deps.ec2, serviceId, plan.accept, deps.sleep), isAccepted)
  );
  logCarriedOut(serviceId, trigger, changes("accept"), acceptFailures);
  if (acceptFailures.length > 0) {
    logDecisions(serviceId, trigger, changes("reject").map(notCarriedOut2));
    throw new Error(`EC2 did not accept every listed connection to endpoint service ${serviceId}: ${describeFailures(acceptFailures)}.`);
  }
  const rejectFailures = await orLogNotCarriedOut(
    serviceId,
    trigger,
    changes("reject"),
    async () => unsettled(deps, serviceId, await rejectConnections(deps.ec2, serviceId, plan.reject, deps.sleep), isGone)
  );
  logCarriedOut(serviceId, trigger, changes("reject"), rejectFailures);
  if (rejectFailures.length > 0) throw new Error(`EC2 did not reject every connection to endpoint service ${serviceId}: ${describeFailures(rejectFailures)}.`);
}
async function orLogNotCarriedOut(serviceId, trigger, pending, change) {
  try {
    return await change();
  } catch (error) {
    logDecisions(serviceId, trigger, pending.map(notCarriedOut2));
    throw error;
  }
}
function logCarriedOut(serviceId, trigger, decisions, failures) {
  const failed = new Map(failures.map((f) => [f.endpointId, f]));
  for (const decision of decisions) {
    const failure = failed.get(decision.endpointId);
    logDecision(serviceId, trigger, failure ? { ...decision, outcome: DECISION_OUTCOME.failed, reason: `${decision.reason}; EC2 did not carry it out: ${failure.code}` } : decision);
  }
}
function notCarriedOut2(decision) {
  return { ...decision, action: "leave", outcome: DECISION_OUTCOME.notCarriedOut, reason: `${decision.reason}; not carried out: the run failed first` };
}
async function unsettled(deps, serviceId, failures, settled) {
  const named = failures.filter((f) => f.endpointId !== NO_RESOURCE_ID);
  if (named.length === 0) return failures;
  const now = await describeConnections(deps.ec2, serviceId, named.map((f) => f.endpointId));
  const states = new Map(now.filter((c) => c.serviceId === serviceId).map((c) => [c.endpointId, c.state]));
  return failures.filter((f) => f.endpointId === NO_RESOURCE_ID || !settled(states.get(f.endpointId)));
}
function isAccepted(state) {
  return state !== void 0 && ACCEPTED_STATES.has(state);
}
function isGone(state) {
  return state === void 0 || !REJECTABLE_STATES.has(state);
}
function describeFailures(failures) {
  return failures.map((f) => `${f.endpointId}: ${f.code}${f.message ? ` (${f.message})` : ""}`).join("; ");
}
function logDecisions(serviceId, trigger, decisions) {
  for (const decision of decisions) logDecision(serviceId, trigger, decision);
}
function logNotCarriedOut(serviceId, trigger, plan) {
  logDecisions(serviceId, trigger, plan.decisions.map((d) => d.action === "accept" || d.action === "reject" ? notCarriedOut2(d) : d));
}

// lambda/approval/watch.ts
async function watchApprovals(deps, stack, scope) {
  const byService = /* @__PURE__ */ new Map();
  for (const approval of scope.approvals) {
    const serviceId = approval.properties.policy.serviceId;
    byService.set(serviceId, [...byService.get(serviceId) ?? [], approval]);
  }
  const stillSettled = unchangedSince(stack);
  const failures = [];
  for (const [serviceId, ofService] of [...byService].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) {
    try {
      await watchService(deps, {
        trigger: scope.trigger,
        serviceId,
        endpointIds: scope.endpointIds,
        enforce: scope.enforce,
        stillSettled,
        approvals: ofService.map((approval) => approval.properties)
      });
    } catch (error) {
      logRunFailed(scope.trigger, serviceId, error);
      failures.push(`${serviceId}: ${error.message}`);
    }
  }
  if (scope.enforce) {
    for (const { serviceId, reason } of scope.unreadable) {
      const error = new Error(`Cannot enforce the ${reason}`);
      logRunFailed(scope.trigger, serviceId, error);
      failures.push(error.message);
    }
  }
  if (failures.length > 0) throw markLogged(new Error(`The ${scope.trigger.toLowerCase()} run failed for ${failures.join(" ")}`));
}
function unchangedSince(stack) {
  const before = stack.describe();
  return async () => {
    const [then, now] = [await before, await stack.describe(true)];
    const [was, is] = [phaseOf(then.StackStatus ?? ""), phaseOf(now.StackStatus ?? "")];
    return (is === was || is === "settled" && (was === "create" || was === "cleanup")) && String(now.LastUpdatedTime?.valueOf()) === String(then.LastUpdatedTime?.valueOf());
  };
}

// lambda/approval/notification.ts
var SAFETY_MARGIN_MS = 6e4;
var MAX_SETTLE_WAIT_MS = 12e4;
var TEMPLATE_SETTLED = ["settled", "cleanup", "create"];
var TEMPLATE_CHANGING = ["update", "rollback"];
function notifiedIds(message) {
  const matches = (pattern) => [...new Set(message.match(pattern) ?? [])];
  return {
    serviceIds: matches(/\bvpce-svc-[0-9a-f]+\b/g).filter(isEndpointServiceId),
    endpointIds: matches(/\bvpce-(?!svc-)[0-9a-f]+\b/g).filter(isEndpointId)
  };
}
async function onNotification(event, deps, remainingMs) {
  const serviceIds = /* @__PURE__ */ new Set();
  const endpointIds = /* @__PURE__ */ new Set();
  for (const record of event.Records ?? []) {
    const ids = notifiedIds(String(record?.Sns?.Message ?? ""));
    ids.serviceIds.forEach((id) => serviceIds.add(id));
    ids.endpointIds.forEach((id) => endpointIds.add(id));
  }
  if (serviceIds.size === 0) {
    logEvent("ignored", { reason: "the notification names no endpoint service" });
    return;
  }
  const stack = new StackReader(deps.cloudformation, deps.stackId);
  const phase = isEnforcementOnly(event, deps) ? await restingPhase(stack, { reason: "an Accept notification while the stack is not at rest: the next scheduled run looks at it" }) : await settledPhase(stack, deps, remainingMs);
  if (!phase) return;
  const unreadable = [];
  const approvals = await templateApprovals(stack, { serviceIds, deployedOnly: true, unreadable });
  const services = new Set(approvals.map((approval) => approval.properties.policy.serviceId));
  for (const serviceId of [...serviceIds].filter((id) => !services.has(id)).sort()) {
    logEvent("ignored", { serviceId, reason: "no approval of this service in the stack's deployed template" });
  }
  const enforce = phase === "settled";
  if (!enforce) logEvent("notEnforced", { reason: "the stack is being deployed: only late arrivals are accepted; the schedule looks for connections accepted outside the approval" });
  await watchApprovals(deps, stack, { trigger: "Notification", approvals, unreadable, endpointIds, enforce });
}
function isEnforcementOnly(event, deps) {
  const records = event.Records ?? [];
  return deps.enforcementTopicArn !== void 0 && records.length > 0 && records.every((record) => record?.Sns?.TopicArn === deps.enforcementTopicArn);
}
async function settledPhase(stack, deps, remainingMs) {
  const giveUpAt = deps.now() + Math.min(MAX_SETTLE_WAIT_MS, remainingMs() - SAFETY_MARGIN_MS);
  for (let fresh = false; ; fresh = true) {
    const { phase, status } = await currentPhase(stack, fresh);
    if (TEMPLATE_SETTLED.includes(phase)) return phase;
    if (phase === "delete") {
      logEvent("ignored", { stackStatus: status, reason: "the stack is being deleted: nothing is accepted" });
      return void 0;
    }
    const left = giveUpAt - deps.now();
    if (!TEMPLATE_CHANGING.includes(phase) || left <= 0) {
      throw new Error(`The stack ${stack.stackId} is ${status}, so its template cannot be taken as the approved one; nothing was accepted. Lambda retries this notification, and then sends it to the approval's dead-letter queue.`);
    }
    logEvent("waiting", { stackStatus: status, reason: "waiting for the stack to settle before reading its template" });
    await deps.sleep(Math.min(deps.pollIntervalMs, left));
  }
}

// lambda/approval/on-event.ts
var SAFETY_MARGIN_MS2 = 12e4;
async function onEvent(event, deps, remainingMs) {
  if (event.StackId !== deps.stackId) {
    throw new Error(`Refused a ${event.RequestType} request for stack ${event.StackId}: this approval handler acts only for its own stack ${deps.stackId}. Nothing was changed.`);
  }
  if (event.ResourceType !== APPROVAL_RESOURCE_TYPE) {
    throw new Error(`Refused a ${event.RequestType} request for ${event.LogicalResourceId} of type ${event.ResourceType}: expected ${APPROVAL_RESOURCE_TYPE}. Nothing was changed.`);
  }
  if (isPutBack(event, deps.stackId)) return rollBack(event, "an update to the properties the physical ID was issued for");
  const stack = new StackReader(deps.cloudformation, deps.stackId);
  const { phase, status } = await currentPhase(stack);
  if (phase === "rollback") return rollBack(event, status);
  if (event.RequestType === "Delete") {
    await onDelete(event, deps, stack, phase, status);
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  return deploy(event, deps, stack, phase, status, remainingMs);
}
function rollBack(event, because) {
  logEvent("skipped", {
    logicalId: event.LogicalResourceId,
    requestType: event.RequestType,
    because,
    reason: "a rollback: nothing is accepted or rejected"
  });
  return { PhysicalResourceId: "PhysicalResourceId" in event ? event.PhysicalResourceId : `rolled-back/${event.RequestId}` };
}
function isPutBack(event, stackId) {
  if (event.RequestType !== "Update") return false;
  const props = tryParse(event.ResourceProperties);
  return props !== void 0 && isGenerationOf(event.PhysicalResourceId, stackId, event.LogicalResourceId, props);
}
async function deploy(event, deps, stack, phase, status, remainingMs) {
  const request = {
    requestType: event.RequestType,
    logicalId: event.LogicalResourceId,
    physicalId: event.RequestType === "Update" ? event.PhysicalResourceId : void 0
  };
  const phases = event.RequestType === "Create" ? ["create", "update"] : ["update"];
  if (!phases.includes(phase)) throw notCarriedOut(request, `the stack is ${status}`);
  await confirmInProgress(stack, request, deps);
  const approval = await confirmedProperties(event, stack);
  const { policy } = approval.properties;
  return forService(event.RequestType, policy.serviceId, async () => {
    await refuseSecondApproval(stack, approval);
    logRemovals(event, approval.properties);
    const waitMs = Math.min(approval.properties.waitSeconds * 1e3, Math.max(0, remainingMs() - SAFETY_MARGIN_MS2));
    await approveAtDeploy(deps, {
      trigger: event.RequestType,
      policy,
      removed: [],
      onRemoval: "leave",
      listedElsewhere: /* @__PURE__ */ new Set(),
      waitUntil: deps.now() + waitMs,
      acceptOnArrival: approval.properties.acceptOnArrival,
      // A run that CloudFormation cancelled while it waited (another resource failed) changes nothing.
      beforeChanges: async (waited) => {
        if (!waited) return;
        const now = await currentPhase(stack, true);
        if (!phases.includes(now.phase) || !await isInProgress(stack, request, deps.sleep)) {
          throw new Error(`CloudFormation is no longer carrying out this ${event.RequestType} of ${event.LogicalResourceId} (the stack is ${now.status}); nothing was changed.`);
        }
      }
    });
    return { PhysicalResourceId: generationId(deps.stackId, event.LogicalResourceId, event.RequestId, approval.properties) };
  });
}
async function confirmedProperties(event, stack) {
  const claimed = parseProperties(event.ResourceProperties);
  let held;
  try {
    held = await templateApproval(stack, event.LogicalResourceId);
  } catch (error) {
    throw new Error(`Cannot confirm the properties of this ${event.RequestType} of ${event.LogicalResourceId} with the stack's template: ${error.message} Nothing was changed.`);
  }
  if (canonical(claimed) !== canonical(held.properties)) {
    throw new Error(`The properties of this ${event.RequestType} of ${event.LogicalResourceId} are not the ones the stack's template holds (request: ${canonical(claimed)}; template: ${canonical(held.properties)}). Nothing was changed. If CloudFormation sent this request, GetTemplate returned another template than the one being deployed: retry the deployment.`);
  }
  return held;
}
async function refuseSecondApproval(stack, approval) {
  const serviceId = approval.properties.policy.serviceId;
  const all = await templateApprovals(stack, { serviceIds: /* @__PURE__ */ new Set([serviceId]), strict: true });
  const others = all.filter((other) => other.logicalId !== approval.logicalId).map((other) => other.logicalId);
  if (others.length > 0) {
    throw new Error(`Endpoint service ${serviceId} has more than one connection approval in stack ${stack.stackId}: ${[approval.logicalId, ...others].join(", ")}. Expected one approval per service; nothing was changed.`);
  }
}
function logRemovals(event, properties2) {
  if (event.RequestType !== "Update" || properties2.onRemoval !== "reject") return;
  const old = tryParse(event.OldResourceProperties);
  if (!old || old.policy.serviceId !== properties2.policy.serviceId) return;
  for (const endpointId of old.policy.listed.filter((id) => !properties2.policy.listed.includes(id))) {
    logDecision(properties2.policy.serviceId, "Update", {
      endpointId,
      action: "leave",
      outcome: DECISION_OUTCOME.deferred,
      reason: "removed from the list; onRemoval is reject: rejected when CloudFormation cleans up after the update"
    });
  }
}
async function onDelete(event, deps, stack, phase, status) {
  const request = { requestType: "Delete", logicalId: event.LogicalResourceId, physicalId: event.PhysicalResourceId };
  if (phase !== "cleanup" && phase !== "delete") throw notCarriedOut(request, `the stack is ${status}`);
  await confirmInProgress(stack, request, deps);
  const deleted = await deletedGeneration(event, stack, phase);
  const serviceId = deleted.policy.serviceId;
  await forService("Delete", serviceId, async () => {
    const current = phase === "cleanup" ? await templateApprovals(stack, { serviceIds: /* @__PURE__ */ new Set([serviceId]), strict: true, deployedOnly: true }) : [];
    const successor = current.find((approval) => approval.logicalId === event.LogicalResourceId);
    const onRemoval = successor ? successor.properties.onRemoval : deleted.onRemoval;
    const keep = new Set(current.flatMap((approval) => approval.properties.policy.listed));
    const removed = deleted.policy.listed.filter((id) => !keep.has(id));
    if (onRemoval === "leave" || removed.length === 0) {
      removed.forEach((endpointId) => logDecision(serviceId, "Delete", {
        endpointId,
        action: "leave",
        outcome: DECISION_OUTCOME.leftRemoved,
        reason: "removed from the list; onRemoval is leave"
      }));
      return;
    }
    for (let attempt = 0; ; attempt++) {
      try {
        await rejectRemoved(deps, serviceId, removed, keep);
        return;
      } catch (error) {
        const name = error.name;
        if (/NotFound/.test(name)) {
          logEvent("skipped", { serviceId, reason: `endpoint service is gone (${name})` });
          return;
        }
        if (!THROTTLING_ERRORS.has(name) || attempt >= REJECTION_RETRY_DELAYS_MS.length) throw error;
        logEvent("retrying", { serviceId, reason: `${name}: rejections retried in ${REJECTION_RETRY_DELAYS_MS[attempt] / 1e3} s` });
        await deps.sleep(REJECTION_RETRY_DELAYS_MS[attempt]);
      }
    }
  });
}
var THROTTLING_ERRORS = /* @__PURE__ */ new Set(["Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException"]);
var REJECTION_RETRY_DELAYS_MS = [15e3, 3e4, 6e4, 12e4, 12e4];
async function deletedGeneration(event, stack, phase) {
  const claimed = tryParse(event.ResourceProperties);
  if (claimed && isGenerationOf(event.PhysicalResourceId, stack.stackId, event.LogicalResourceId, claimed)) return claimed;
  if (phase === "delete") {
    try {
      return (await templateApproval(stack, event.LogicalResourceId)).properties;
    } catch (error) {
      throw new Error(`Cannot confirm what ${event.PhysicalResourceId} listed: ${error.message} Nothing was rejected.`);
    }
  }
  throw new Error(`Cannot confirm what the deleted generation ${event.PhysicalResourceId} of ${event.LogicalResourceId} listed: its properties do not match its physical ID (it was created by an earlier version of the handler, or the request is not CloudFormation's). Nothing was rejected; if its onRemoval was reject, reject the connections it listed yourself.`);
}
async function confirmInProgress(stack, request, deps) {
  if (!await isInProgress(stack, request, deps.sleep)) {
    throw notCarriedOut(request, "the stack's events show no such operation in progress for this resource");
  }
}
function tryParse(raw) {
  try {
    return parseProperties(raw);
  } catch (error) {
    logEvent("skipped", { reason: `unreadable properties: ${error.message}` });
    return void 0;
  }
}

// lambda/approval/schedule.ts
function isScheduledEvent(event) {
  const candidate = event;
  return typeof candidate === "object" && candidate !== null && candidate.source === "aws.events" && candidate["detail-type"] === "Scheduled Event";
}
async function onSchedule(deps) {
  const stack = new StackReader(deps.cloudformation, deps.stackId);
  if (!await restingPhase(stack, { trigger: "Schedule", reason: "the stack is not at rest: enforcement runs only between deployments" })) return;
  const unreadable = [];
  const approvals = await templateApprovals(stack, { deployedOnly: true, unreadable });
  await watchApprovals(deps, stack, { trigger: "Schedule", approvals, unreadable, endpointIds: /* @__PURE__ */ new Set(), enforce: true });
}

// src/provider/private-dns-contract.ts
var PRIVATE_DNS_NAME_RESOURCE_TYPE = "Custom::VpcEndpointServicePrivateDnsName";
var PRIVATE_DNS_VERIFICATION_RESOURCE_TYPE = "Custom::VpcEndpointServicePrivateDnsVerification";
var PRIVATE_DNS_PROPERTY = {
  serviceId: "ServiceId",
  privateDnsName: "PrivateDnsName",
  /** The TXT record (`Ref` of the record set: its name), so that a new record starts a new verification. */
  verificationRecord: "VerificationRecord",
  /** How long the deployment waits for the domain to be verified; 0 does not wait. */
  waitSeconds: "WaitSeconds"
};
var PRIVATE_DNS_ATTRIBUTE = {
  /** The TXT record's label, such as `_1a2b3c`, to publish under the verified domain. */
  recordName: "VerificationRecordName",
  recordValue: "VerificationRecordValue",
  /** `pendingVerification`, `verified` or `failed`, when the resource was last created or updated. */
  state: "VerificationState",
  /**
   * Until when (epoch milliseconds) the verification waits; 0 for no wait. Every answer of the
   * verification resource carries it, so that the provider framework's completion checks
   * (which repeat the answer) are told apart from CloudFormation's requests.
   */
  waitUntil: "VerificationWaitUntil"
};
var MAX_VERIFICATION_WAIT_MINUTES = 55;

// lambda/private-dns/properties.ts
var DNS_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
var MAX_WAIT_SECONDS = MAX_VERIFICATION_WAIT_MINUTES * 60;
function parseDnsNameProperties(raw) {
  const props = raw ?? {};
  const serviceId = String(props[PRIVATE_DNS_PROPERTY.serviceId] ?? "");
  const privateDnsName = String(props[PRIVATE_DNS_PROPERTY.privateDnsName] ?? "");
  const problems = [];
  if (!isEndpointServiceId(serviceId)) {
    problems.push(`Invalid endpoint service ID '${serviceId}': expected 'vpce-svc-' followed by 8 or 17 lowercase hexadecimal characters.`);
  }
  if (privateDnsName.length > 255 || !DNS_NAME.test(privateDnsName)) {
    problems.push(`Invalid private DNS name '${privateDnsName}': expected a lowercase DNS name like 'api.example.com' or '*.example.com'.`);
  }
  if (problems.length > 0) throw new Error(`Private DNS name of ${serviceId || "an endpoint service"} has bad properties: ${problems.join(" ")}`);
  return { serviceId, privateDnsName };
}
function parseVerificationProperties(raw) {
  const props = raw ?? {};
  const name = parseDnsNameProperties(props);
  const verificationRecord = String(props[PRIVATE_DNS_PROPERTY.verificationRecord] ?? "");
  const waitSeconds = wholeNumber(props[PRIVATE_DNS_PROPERTY.waitSeconds] ?? 0);
  const problems = [];
  if (verificationRecord.length === 0) problems.push(`${PRIVATE_DNS_PROPERTY.verificationRecord} is empty: expected the TXT record's name.`);
  if (!Number.isInteger(waitSeconds) || waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
    problems.push(`Invalid ${PRIVATE_DNS_PROPERTY.waitSeconds} '${props[PRIVATE_DNS_PROPERTY.waitSeconds]}': expected a whole number of seconds from 0 to ${MAX_WAIT_SECONDS}.`);
  }
  if (problems.length > 0) throw new Error(`Verification of ${name.privateDnsName} for ${name.serviceId} has bad properties: ${problems.join(" ")}`);
  return { ...name, verificationRecord, waitSeconds };
}
function canonicalDnsName(properties2) {
  return JSON.stringify({ serviceId: properties2.serviceId, privateDnsName: properties2.privateDnsName });
}
function canonicalVerification(properties2) {
  return JSON.stringify({
    serviceId: properties2.serviceId,
    privateDnsName: properties2.privateDnsName,
    verificationRecord: properties2.verificationRecord,
    waitSeconds: properties2.waitSeconds
  });
}

// lambda/private-dns/service-dns.ts
var import_client_ec22 = require("@aws-sdk/client-ec2");
async function describeServiceDns(ec2, serviceId) {
  let response;
  try {
    response = await ec2.send(new import_client_ec22.DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] }));
  } catch (error) {
    if (isServiceNotFound(error)) return void 0;
    throw error;
  }
  const service = response.ServiceConfigurations?.find((candidate) => candidate.ServiceId === serviceId);
  if (!service) return void 0;
  const configuration = service.PrivateDnsNameConfiguration;
  return {
    serviceId,
    privateDnsName: service.PrivateDnsName || void 0,
    state: configuration?.State,
    recordName: configuration?.Name,
    recordValue: configuration?.Value
  };
}
async function readServiceDns(ec2, serviceId, privateDnsName) {
  try {
    return await describeServiceDns(ec2, serviceId);
  } catch (error) {
    throw new Error(`Could not check the private DNS name ${privateDnsName} of endpoint service ${serviceId}: ${error.name}: ${error.message}`);
  }
}
async function setPrivateDnsName(ec2, serviceId, privateDnsName, sleep) {
  const command = new import_client_ec22.ModifyVpcEndpointServiceConfigurationCommand({ ServiceId: serviceId, PrivateDnsName: privateDnsName });
  await withPermissionRetry(() => ec2.send(command), sleep);
}
async function removePrivateDnsName(ec2, serviceId, sleep) {
  const command = new import_client_ec22.ModifyVpcEndpointServiceConfigurationCommand({ ServiceId: serviceId, RemovePrivateDnsName: true });
  await withPermissionRetry(() => ec2.send(command), sleep);
}
async function startVerification(ec2, serviceId, sleep) {
  await withPermissionRetry(() => ec2.send(new import_client_ec22.StartVpcEndpointServicePrivateDnsVerificationCommand({ ServiceId: serviceId })), sleep);
}
function isServiceNotFound(error) {
  return /^InvalidVpcEndpointServiceId\.NotFound$|^InvalidVpcEndpointService\.NotFound$/.test(error?.name ?? "");
}

// lambda/private-dns/is-complete.ts
function isCompletionCheck(event) {
  const candidate = event;
  return candidate !== null && typeof candidate === "object" && candidate.ResourceType === PRIVATE_DNS_VERIFICATION_RESOURCE_TYPE && candidate.Data !== null && typeof candidate.Data === "object" && PRIVATE_DNS_ATTRIBUTE.waitUntil in candidate.Data;
}
async function isVerificationComplete(event, deps) {
  const waitUntil = Number(event.Data[PRIVATE_DNS_ATTRIBUTE.waitUntil]);
  if (event.RequestType === "Delete" || !(waitUntil > 0)) return { IsComplete: true };
  const properties2 = parseVerificationProperties(event.ResourceProperties);
  const { serviceId, privateDnsName, verificationRecord } = properties2;
  const dns = await readServiceDns(deps.ec2, serviceId, privateDnsName);
  if (dns?.state === "verified" && dns.privateDnsName === privateDnsName) return { IsComplete: true, Data: { [PRIVATE_DNS_ATTRIBUTE.state]: "verified" } };
  const publish = `Publish the TXT record ${verificationRecord} with the value ${dns?.recordValue ?? "(see the service's verification record)"} in the domain's public DNS, then deploy again or start the verification with aws ec2 start-vpc-endpoint-service-private-dns-verification --service-id ${serviceId}.`;
  if (!dns) throw new Error(`Cannot verify the private DNS name ${privateDnsName}: EC2 does not know endpoint service ${serviceId}.`);
  if (dns.state === "failed") {
    throw new Error(`The domain ownership verification of ${privateDnsName} for endpoint service ${serviceId} failed. ${publish}`);
  }
  if (deps.now() >= waitUntil) {
    throw new Error(`The private DNS name ${privateDnsName} of endpoint service ${serviceId} is still ${dns.state ?? "not verified"} after the wait for its verification. ${publish}`);
  }
  return { IsComplete: false };
}

// lambda/private-dns/confirm.ts
async function confirmRequest(event, deps, kind) {
  const stack = new StackReader(deps.cloudformation, deps.stackId);
  const { phase, status } = await currentPhase(stack);
  const request = {
    requestType: event.RequestType,
    logicalId: event.LogicalResourceId,
    physicalId: event.RequestType === "Create" ? void 0 : event.PhysicalResourceId
  };
  const allowed = { Create: ["create", "update"], Update: ["update", "rollback"], Delete: ["cleanup", "delete", "rollback"] };
  if (!allowed[event.RequestType].includes(phase)) throw notCarriedOut(request, `the stack is ${status}`);
  if (!await isInProgress(stack, request, deps.sleep)) {
    throw notCarriedOut(request, "the stack's events show no such operation in progress for this resource");
  }
  const claimed = tryParse2(kind, event.ResourceProperties);
  const issued = request.physicalId !== void 0 && claimed !== void 0 && isBoundId(request.physicalId, deps.stackId, event.LogicalResourceId, claimed.serviceId, kind.canonical(claimed));
  if (event.RequestType === "Delete" || phase === "rollback") {
    if (issued) return { properties: claimed, phase, putBack: event.RequestType === "Update", stack };
    if (phase === "delete") return { properties: await templateProperties(stack, event.LogicalResourceId, kind), phase, putBack: false, stack };
    throw notCarriedOut(request, "its properties are not those its physical ID was issued for");
  }
  const held = await templateProperties(stack, event.LogicalResourceId, kind);
  if (!claimed || kind.canonical(claimed) !== kind.canonical(held)) {
    throw new Error(`The properties of this ${event.RequestType} of ${event.LogicalResourceId} are not the ones the stack's template holds (request: ${claimed ? kind.canonical(claimed) : "unreadable"}; template: ${kind.canonical(held)}). Nothing was changed.`);
  }
  return { properties: held, phase, putBack: false, stack };
}
function issuedId(event, deps, kind, properties2) {
  return boundId(deps.stackId, event.LogicalResourceId, event.RequestId, properties2.serviceId, kind.canonical(properties2));
}
async function templateProperties(stack, logicalId, kind) {
  const resource = (await stack.getTemplate()).Resources?.[logicalId];
  if (resource?.Type !== kind.type) throw new Error(`The template of stack ${stack.stackId} has no ${kind.type} named ${logicalId}. Nothing was changed.`);
  if (resource.Condition !== void 0) throw new Error(`The resource ${logicalId} has a Condition, which the handler does not evaluate. Nothing was changed.`);
  try {
    return await resolveOwn(stack, kind, resource);
  } catch (error) {
    throw new Error(`Cannot confirm the properties of ${logicalId} with the stack's template: ${error.message} Nothing was changed.`);
  }
}
async function resolveOwn(stack, kind, resource) {
  const all = resource.Properties ?? {};
  const own = Object.fromEntries(kind.propertyNames.filter((name) => name in all).map((name) => [name, all[name]]));
  return kind.parse(await new TemplateResolver(stack).resolve(own));
}
async function templateHolder(stack, kind, holds, except) {
  const existing = await stack.getPhysicalIds();
  for (const [logicalId, resource] of Object.entries((await stack.getTemplate()).Resources ?? {})) {
    if (logicalId === except || resource?.Type !== kind.type || !existing.has(logicalId)) continue;
    try {
      if (holds(await resolveOwn(stack, kind, resource))) return logicalId;
    } catch (error) {
      logEvent("skipped", { logicalId, reason: `its properties do not resolve: ${error.message}` });
    }
  }
  return void 0;
}
function tryParse2(kind, raw) {
  try {
    return kind.parse(raw);
  } catch {
    return void 0;
  }
}

// lambda/private-dns/kinds.ts
var DNS_NAME_KIND = {
  type: PRIVATE_DNS_NAME_RESOURCE_TYPE,
  propertyNames: [PRIVATE_DNS_PROPERTY.serviceId, PRIVATE_DNS_PROPERTY.privateDnsName],
  parse: parseDnsNameProperties,
  canonical: canonicalDnsName
};
var VERIFICATION_KIND = {
  type: PRIVATE_DNS_VERIFICATION_RESOURCE_TYPE,
  propertyNames: Object.values(PRIVATE_DNS_PROPERTY),
  parse: parseVerificationProperties,
  canonical: canonicalVerification
};

// lambda/private-dns/on-event.ts
var READ_BACK_DELAYS_MS = [1e3, 3e3, 1e4];
async function onDnsNameEvent(event, deps) {
  const { properties: properties2, putBack, phase, stack } = await confirmRequest(event, deps, DNS_NAME_KIND);
  const { serviceId, privateDnsName } = properties2;
  const current = await readServiceDns(deps.ec2, serviceId, privateDnsName);
  if (event.RequestType === "Delete") {
    await removeIfOurs(deps, properties2, current, () => otherHolder(event.LogicalResourceId, phase, stack, properties2));
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  if (!current) throw new Error(`Cannot set the private DNS name ${privateDnsName} of endpoint service ${serviceId}: EC2 does not know the service.`);
  const dns = current.privateDnsName !== privateDnsName ? await setName(deps, properties2, current, event.RequestType, putBack) : current.recordName ? current : await readBack(deps, properties2);
  return {
    PhysicalResourceId: putBack && event.RequestType === "Update" ? event.PhysicalResourceId : issuedId(event, deps, DNS_NAME_KIND, properties2),
    Data: { [PRIVATE_DNS_ATTRIBUTE.recordName]: dns.recordName, [PRIVATE_DNS_ATTRIBUTE.recordValue]: dns.recordValue, [PRIVATE_DNS_ATTRIBUTE.state]: dns.state ?? "pendingVerification" }
  };
}
async function onVerificationEvent(event, deps) {
  const { properties: properties2, putBack } = await confirmRequest(event, deps, VERIFICATION_KIND);
  const { serviceId, privateDnsName } = properties2;
  if (event.RequestType === "Delete") return { PhysicalResourceId: event.PhysicalResourceId, Data: { [PRIVATE_DNS_ATTRIBUTE.waitUntil]: 0 } };
  const current = await readServiceDns(deps.ec2, serviceId, privateDnsName);
  if (current?.privateDnsName !== privateDnsName) {
    throw new Error(`Cannot verify the private DNS name ${privateDnsName} of endpoint service ${serviceId}: ` + (current ? `the service's private DNS name is ${current.privateDnsName ?? "(none)"}.` : "EC2 does not know the service."));
  }
  const verified = current.state === "verified";
  if (!verified) {
    await carryOut2(
      `start the verification of ${privateDnsName} for endpoint service ${serviceId}`,
      () => startVerification(deps.ec2, serviceId, deps.sleep)
    );
    logEvent("privateDnsVerificationStarted", { serviceId, privateDnsName, record: properties2.verificationRecord });
  }
  const waits = !verified && !putBack && properties2.waitSeconds > 0;
  return {
    PhysicalResourceId: putBack && event.RequestType === "Update" ? event.PhysicalResourceId : issuedId(event, deps, VERIFICATION_KIND, properties2),
    Data: {
      [PRIVATE_DNS_ATTRIBUTE.waitUntil]: waits ? deps.now() + properties2.waitSeconds * 1e3 : 0,
      [PRIVATE_DNS_ATTRIBUTE.state]: verified ? "verified" : "pendingVerification"
    }
  };
}
async function removeIfOurs(deps, { serviceId, privateDnsName }, current, holder) {
  if (!current) {
    logEvent("skipped", { serviceId, privateDnsName, reason: "the endpoint service is gone" });
  } else if (current.privateDnsName !== privateDnsName) {
    logEvent("skipped", { serviceId, privateDnsName, reason: `the service's private DNS name is ${current.privateDnsName ?? "(none)"} now: left as it is` });
  } else {
    const held = await holder();
    if (held !== void 0) {
      logEvent("skipped", { serviceId, privateDnsName, reason: `the template's ${held} has the same name on the service: left as it is` });
      return;
    }
    await carryOut2(
      `remove the private DNS name ${privateDnsName} of endpoint service ${serviceId}`,
      () => removePrivateDnsName(deps.ec2, serviceId, deps.sleep)
    );
    logEvent("privateDnsNameRemoved", { serviceId, privateDnsName });
  }
}
async function otherHolder(logicalId, phase, stack, { serviceId, privateDnsName }) {
  if (phase !== "cleanup" && phase !== "rollback") return void 0;
  return templateHolder(
    stack,
    DNS_NAME_KIND,
    (held) => held.serviceId === serviceId && held.privateDnsName === privateDnsName,
    phase === "rollback" ? logicalId : void 0
  );
}
async function setName(deps, properties2, current, requestType, putBack) {
  const { serviceId, privateDnsName } = properties2;
  try {
    await carryOut2(
      `set the private DNS name ${privateDnsName} of endpoint service ${serviceId}`,
      () => setPrivateDnsName(deps.ec2, serviceId, privateDnsName, deps.sleep)
    );
    logEvent("privateDnsNameSet", { serviceId, privateDnsName, previous: current.privateDnsName ?? null, requestType });
    return await readBack(deps, properties2);
  } catch (error) {
    throw putBack ? error : await undo(deps, properties2, error);
  }
}
async function undo(deps, { serviceId, privateDnsName }, failure) {
  try {
    const now = await describeServiceDns(deps.ec2, serviceId);
    if (now?.privateDnsName !== privateDnsName) return failure;
    await removePrivateDnsName(deps.ec2, serviceId, deps.sleep);
    logEvent("privateDnsNameRemoved", { serviceId, privateDnsName, reason: "the request failed after the name was set" });
    return new Error(`${failure.message} The name was removed again.`);
  } catch (error) {
    return new Error(`${failure.message} The endpoint service may still have the private DNS name ${privateDnsName}: it could not be removed again (${error.name}: ${error.message}). Unless a deployment sets it again, remove it with aws ec2 modify-vpc-endpoint-service-configuration --service-id ${serviceId} --remove-private-dns-name.`);
  }
}
async function readBack(deps, { serviceId, privateDnsName }) {
  for (let attempt = 0; ; attempt++) {
    const dns = await readServiceDns(deps.ec2, serviceId, privateDnsName);
    if (dns?.privateDnsName === privateDnsName && dns.recordName && dns.recordValue) return dns;
    if (attempt >= READ_BACK_DELAYS_MS.length) {
      throw new Error(`Set the private DNS name ${privateDnsName} of endpoint service ${serviceId}, but EC2 does not report it with its verification record (it reports ${dns?.privateDnsName ?? "no name"}): retry the deployment.`);
    }
    await deps.sleep(READ_BACK_DELAYS_MS[attempt]);
  }
}
async function carryOut2(what, call) {
  try {
    await call();
  } catch (error) {
    throw new Error(`Could not ${what}: ${error.name}: ${error.message}`);
  }
}

// lambda/private-dns/index.ts
function isPrivateDnsEvent(event) {
  const type = event?.ResourceType;
  return type === PRIVATE_DNS_NAME_RESOURCE_TYPE || type === PRIVATE_DNS_VERIFICATION_RESOURCE_TYPE;
}
async function onPrivateDnsEvent(event, deps) {
  if (event.StackId !== deps.stackId) {
    throw new Error(`Refused a ${event.RequestType} request for stack ${event.StackId}: this handler acts only for its own stack ${deps.stackId}. Nothing was changed.`);
  }
  if (isCompletionCheck(event)) return isVerificationComplete(event, deps);
  if (event.ResourceType === PRIVATE_DNS_NAME_RESOURCE_TYPE) return onDnsNameEvent(event, deps);
  return onVerificationEvent(event, deps);
}

// lambda/approval/index.ts
var POLL_INTERVAL_MS = 1e4;
var dependencies;
function realDependencies() {
  const stackId = process.env[APPROVAL_STACK_ENV];
  if (!stackId) throw new Error(`The environment variable ${APPROVAL_STACK_ENV} is not set: the handler does not know its own stack.`);
  dependencies ??= {
    ec2: newEc2Client(),
    cloudformation: new import_client_cloudformation2.CloudFormationClient(SDK_RETRY),
    stackId,
    enforcementTopicArn: process.env[ENFORCEMENT_TOPIC_ENV] || void 0,
    now: () => Date.now(),
    sleep: (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)),
    pollIntervalMs: POLL_INTERVAL_MS
  };
  return dependencies;
}
async function handler(event, context) {
  return handle(event, realDependencies(), () => context.getRemainingTimeInMillis());
}
async function handle(event, deps, remainingMs) {
  if (isPrivateDnsEvent(event)) return onPrivateDnsEvent(event, deps);
  try {
    if (isScheduledEvent(event)) return await onSchedule(deps);
    if (isNotification(event)) return await onNotification(event, deps, remainingMs);
    return await onEvent(event, deps, remainingMs);
  } catch (error) {
    if (!isLogged(error)) logRunFailed(triggerOf(event), void 0, error);
    throw error;
  }
}
function isNotification(event) {
  return event !== null && typeof event === "object" && "Records" in event;
}
function triggerOf(event) {
  if (isScheduledEvent(event)) return "Schedule";
  if (isNotification(event)) return "Notification";
  const requestType = event?.RequestType;
  return requestType === "Create" || requestType === "Update" || requestType === "Delete" ? requestType : "Create";
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  handle,
  handler
});
