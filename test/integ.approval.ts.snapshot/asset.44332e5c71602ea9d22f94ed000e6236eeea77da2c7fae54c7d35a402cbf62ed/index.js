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
var import_client_dynamodb2 = require("@aws-sdk/client-dynamodb");

// lambda/approval/ec2.ts
var import_client_ec2 = require("@aws-sdk/client-ec2");
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
  const pages = (0, import_client_ec2.paginateDescribeVpcEndpointConnections)({ client: ec2, pageSize: PAGE_SIZE }, { Filters: filters });
  for await (const page of pages) {
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
    record({ ...describe(connection), action: "leave", reason });
  };
  for (const endpointId of listed) {
    const connection = byId.get(endpointId);
    if (!connection) {
      plan.missing.push(endpointId);
      record({ endpointId, action: "leave", reason: "listed, but no connection request from this endpoint to the service" });
    } else if (owners && !owners.has(connection.owner ?? "")) {
      block(connection, `listed, but its owner ${connection.owner ?? "(unknown)"} is not an allowed owner`);
    } else if (connection.state === PENDING_ACCEPTANCE) {
      record({ ...describe(connection), action: "accept", reason: "listed and pending acceptance" });
    } else if (ACCEPTED_STATES.has(connection.state)) {
      record({ ...describe(connection), action: "none", reason: "listed and already accepted" });
    } else {
      block(connection, `listed, but its connection is ${connection.state} and cannot be accepted`);
    }
  }
  for (const connection of [...byId.values()].sort(byEndpointId)) {
    const { endpointId, state } = connection;
    if (listed.has(endpointId)) continue;
    const protectedHere = elsewhere.has(endpointId);
    if (removed.has(endpointId) && REJECTABLE_STATES.has(state)) {
      if (protectedHere) {
        record({ ...describe(connection), action: "leave", reason: "removed from this list, but another approval of the service lists it" });
      } else if (input.onRemoval === "reject") {
        record({ ...describe(connection), action: "reject", reason: "removed from the list; onRemoval is reject" });
      } else if (state === PENDING_ACCEPTANCE && policy.rejectUnlisted) {
        record({ ...describe(connection), action: "reject", reason: "not listed; rejectUnlisted is set" });
      } else {
        record({ ...describe(connection), action: "leave", reason: "removed from the list; onRemoval is leave" });
      }
    } else if (state === PENDING_ACCEPTANCE) {
      if (policy.rejectUnlisted && !protectedHere) {
        record({ ...describe(connection), action: "reject", reason: "not listed; rejectUnlisted is set" });
      } else {
        record({ ...describe(connection), action: "leave", reason: "not listed" });
      }
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

// lambda/approval/log.ts
function logDecision(serviceId, trigger, decision) {
  console.info({ event: "decision", serviceId, trigger, ...decision });
}
function logEvent(event, details) {
  console.info({ event, ...details });
}

// lambda/approval/store.ts
var import_client_dynamodb = require("@aws-sdk/client-dynamodb");
var ApprovalStore = class {
  constructor(dynamodb, tableName) {
    this.dynamodb = dynamodb;
    this.tableName = tableName;
  }
  dynamodb;
  tableName;
  async put(approvalId, approval) {
    const item = {
      ServiceId: { S: approval.current.policy.serviceId },
      ApprovalId: { S: approvalId },
      Current: { S: JSON.stringify(approval.current) }
    };
    if (approval.previous) item.Previous = { S: JSON.stringify(approval.previous) };
    if (approval.expiresAt !== void 0) item.ExpiresAt = { N: String(approval.expiresAt) };
    await this.dynamodb.send(new import_client_dynamodb.PutItemCommand({ TableName: this.tableName, Item: item }));
  }
  async delete(serviceId, approvalId) {
    await this.dynamodb.send(new import_client_dynamodb.DeleteItemCommand({
      TableName: this.tableName,
      Key: { ServiceId: { S: serviceId }, ApprovalId: { S: approvalId } }
    }));
  }
  /** Every stored approval of the service, by approval ID, without those expired at `nowSeconds`. */
  async approvalsOf(serviceId, nowSeconds) {
    const approvals = /* @__PURE__ */ new Map();
    const pages = (0, import_client_dynamodb.paginateQuery)({ client: this.dynamodb }, {
      TableName: this.tableName,
      KeyConditionExpression: "ServiceId = :service",
      ExpressionAttributeValues: { ":service": { S: serviceId } },
      ConsistentRead: true
    });
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const approvalId = item.ApprovalId?.S;
        const current = item.Current?.S;
        if (!approvalId || !current) continue;
        const expiresAt = item.ExpiresAt?.N === void 0 ? void 0 : Number(item.ExpiresAt.N);
        if (expiresAt !== void 0 && expiresAt < nowSeconds) continue;
        approvals.set(approvalId, {
          current: JSON.parse(current),
          previous: item.Previous?.S ? JSON.parse(item.Previous.S) : void 0,
          expiresAt
        });
      }
    }
    return approvals;
  }
};
function listedByOthers(approvals, approvalId) {
  const ids = /* @__PURE__ */ new Set();
  for (const [id, approval] of approvals) {
    if (id !== approvalId) approval.current.policy.listed.forEach((endpointId) => ids.add(endpointId));
  }
  return ids;
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
      logAll(policy.serviceId, request.trigger, plan);
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
      logAll(policy.serviceId, request.trigger, plan);
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
async function approveLateArrivals(deps, serviceId, endpointIds) {
  const stored = await deps.store.approvalsOf(serviceId, Math.floor(deps.now() / 1e3));
  const approvals = new Map([...stored].filter(([, approval]) => approval.current.acceptOnArrival));
  if (approvals.size === 0) {
    logEvent("ignored", { serviceId, reason: "no approval of this service accepts late arrivals" });
    return [];
  }
  const connections = await describeConnections(deps.ec2, serviceId, endpointIds);
  const present = new Set(connections.map((c) => c.endpointId));
  const plans = [...approvals].map(([approvalId, approval]) => decide({
    policy: { ...approval.current.policy, rejectUnlisted: false },
    connections,
    listedElsewhere: listedByOthers(approvals, approvalId)
  }));
  const merged = {
    decisions: plans.flatMap((plan) => plan.decisions).filter((d) => present.has(d.endpointId)),
    accept: [...new Set(plans.flatMap((plan) => plan.accept))],
    reject: [],
    blockers: plans.flatMap((plan) => plan.blockers),
    missing: []
  };
  await carryOut(deps, "Notification", serviceId, merged);
  return plans;
}
async function carryOut(deps, trigger, serviceId, plan) {
  logAll(serviceId, trigger, plan);
  const acceptFailures = await unsettled(deps, serviceId, await acceptConnections(deps.ec2, serviceId, plan.accept, deps.sleep), isAccepted);
  if (acceptFailures.length > 0) throw new Error(`EC2 did not accept every listed connection to endpoint service ${serviceId}: ${describeFailures(acceptFailures)}.`);
  const rejectFailures = await unsettled(deps, serviceId, await rejectConnections(deps.ec2, serviceId, plan.reject, deps.sleep), isGone);
  if (rejectFailures.length > 0) throw new Error(`EC2 did not reject every connection to endpoint service ${serviceId}: ${describeFailures(rejectFailures)}.`);
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
function logAll(serviceId, trigger, plan) {
  for (const decision of plan.decisions) logDecision(serviceId, trigger, decision);
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

// lambda/approval/notification.ts
function notifiedIds(message) {
  const matches = (pattern) => [...new Set(message.match(pattern) ?? [])];
  return {
    serviceIds: matches(/\bvpce-svc-[0-9a-f]+\b/g).filter(isEndpointServiceId),
    endpointIds: matches(/\bvpce-(?!svc-)[0-9a-f]+\b/g).filter(isEndpointId)
  };
}
async function onNotification(event, deps) {
  for (const record of event.Records) {
    const ids = notifiedIds(record.Sns.Message);
    if (ids.serviceIds.length === 0) logEvent("ignored", { reason: "the notification names no endpoint service" });
    for (const serviceId of ids.serviceIds) {
      await approveLateArrivals(deps, serviceId, ids.endpointIds.length > 0 ? ids.endpointIds : void 0);
    }
  }
}

// src/approval/handler-contract.ts
var APPROVAL_PROPERTY = {
  serviceId: "ServiceId",
  endpointIds: "EndpointIds",
  allowedOwners: "AllowedOwners",
  rejectUnlisted: "RejectUnlisted",
  onRemoval: "OnRemoval",
  waitSeconds: "WaitSeconds",
  acceptOnArrival: "AcceptOnArrival"
};
var APPROVAL_TABLE_ENV = "APPROVAL_TABLE_NAME";

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
  const waitSeconds = Number(props[APPROVAL_PROPERTY.waitSeconds] ?? 0);
  if (!Number.isInteger(waitSeconds) || waitSeconds < 0) problems.push(`Invalid WaitSeconds '${props[APPROVAL_PROPERTY.waitSeconds]}': expected a whole number of seconds, 0 or more.`);
  if (problems.length > 0) throw new Error(`Connection approval for ${serviceId} has bad properties: ${problems.join(" ")}`);
  return {
    policy: { serviceId, listed, allowedOwners, rejectUnlisted: String(props[APPROVAL_PROPERTY.rejectUnlisted]) === "true" },
    onRemoval,
    waitSeconds,
    acceptOnArrival: String(props[APPROVAL_PROPERTY.acceptOnArrival]) === "true"
  };
}
function stringList(value, name) {
  if (value === void 0) return [];
  if (!Array.isArray(value)) throw new Error(`Invalid ${name}: expected a list of strings, got ${JSON.stringify(value)}.`);
  return value.map(String);
}

// lambda/approval/stack-status.ts
var import_client_cloudformation = require("@aws-sdk/client-cloudformation");
async function stackDirection(cloudformation, stackId) {
  try {
    const response = await cloudformation.send(new import_client_cloudformation.DescribeStacksCommand({ StackName: stackId }));
    const status = response.Stacks?.[0]?.StackStatus;
    if (!status) return "unknown";
    return status.includes("ROLLBACK") ? "rollback" : "forward";
  } catch (error) {
    logEvent("stackStatusUnknown", { stackId, reason: error.message });
    return "unknown";
  }
}

// lambda/approval/on-event.ts
var SAFETY_MARGIN_MS = 12e4;
var UNCONFIRMED_SECONDS = 16 * 60;
async function onEvent(event, deps, remainingMs) {
  const approvalId = `${event.StackId}/${event.LogicalResourceId}`;
  if (event.RequestType === "Delete") {
    await onDelete(event, deps, approvalId);
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  if (event.RequestType === "Update") {
    const direction = await stackDirection(deps.cloudformation, event.StackId);
    if (direction === "unknown") {
      throw new Error("Cannot read the status of the stack (cloudformation:DescribeStacks), so it is unknown whether this update is a rollback; nothing was changed. Check the permissions of the approval handler and retry.");
    }
    if (direction === "rollback") return rollBack(event, deps, approvalId);
  }
  return deploy(event, deps, approvalId, remainingMs);
}
async function deploy(event, deps, approvalId, remainingMs) {
  const props = parseProperties(event.ResourceProperties);
  const { policy } = props;
  const physicalId = `${policy.serviceId}/${event.RequestId}`;
  const stored = await deps.store.approvalsOf(policy.serviceId, seconds(deps.now()));
  const mine = stored.get(approvalId);
  const generation = { physicalId, policy, onRemoval: props.onRemoval, acceptOnArrival: props.acceptOnArrival };
  const previous = mine?.current.physicalId === physicalId ? mine.previous : mine?.current;
  const confirmed = { current: generation, previous };
  const old = event.RequestType === "Update" ? tryParse(event.OldResourceProperties) : void 0;
  const removed = old && old.policy.serviceId === policy.serviceId ? old.policy.listed.filter((id) => !policy.listed.includes(id)) : [];
  if (props.onRemoval === "reject") {
    for (const endpointId of removed) {
      logDecision(policy.serviceId, event.RequestType, {
        endpointId,
        action: "leave",
        reason: "removed from the list; onRemoval is reject: rejected when CloudFormation cleans up after the update"
      });
    }
  }
  await deps.store.put(approvalId, { ...confirmed, expiresAt: seconds(deps.now()) + UNCONFIRMED_SECONDS });
  try {
    const waitMs = Math.min(props.waitSeconds * 1e3, Math.max(0, remainingMs() - SAFETY_MARGIN_MS));
    await approveAtDeploy(deps, {
      trigger: event.RequestType,
      policy,
      removed: props.onRemoval === "leave" ? removed : [],
      onRemoval: "leave",
      listedElsewhere: listedByOthers(stored, approvalId),
      waitUntil: deps.now() + waitMs,
      acceptOnArrival: props.acceptOnArrival,
      // A run that CloudFormation cancelled (another resource failed) must not change anything.
      beforeChanges: async (waited) => {
        if (event.RequestType === "Create" && !waited) return;
        const direction = await stackDirection(deps.cloudformation, event.StackId);
        if (direction !== "forward") throw new Error(`The stack is no longer going forward (${direction}); nothing was changed.`);
      }
    });
    await deps.store.put(approvalId, confirmed);
  } catch (error) {
    await (mine ? deps.store.put(approvalId, mine) : deps.store.delete(policy.serviceId, approvalId));
    throw error;
  }
  return { PhysicalResourceId: physicalId };
}
async function rollBack(event, deps, approvalId) {
  const physicalId = event.PhysicalResourceId;
  try {
    const props = parseProperties(event.ResourceProperties);
    const generation = { physicalId, policy: props.policy, onRemoval: props.onRemoval, acceptOnArrival: props.acceptOnArrival };
    await deps.store.put(approvalId, { current: generation });
    await approveAtDeploy(deps, {
      trigger: "Update",
      policy: props.policy,
      removed: [],
      onRemoval: "leave",
      listedElsewhere: /* @__PURE__ */ new Set(),
      waitUntil: 0,
      acceptOnArrival: true,
      lenient: true
    });
  } catch (error) {
    logEvent("rollbackIncomplete", { physicalId, reason: error.message });
  }
  return { PhysicalResourceId: physicalId };
}
async function onDelete(event, deps, approvalId) {
  const props = tryParse(event.ResourceProperties);
  if (!props) return;
  const serviceId = props.policy.serviceId;
  const stored = await deps.store.approvalsOf(serviceId, seconds(deps.now()));
  const mine = stored.get(approvalId);
  const keep = listedByOthers(stored, approvalId);
  if (!mine) {
    logEvent("skipped", { serviceId, reason: "no stored list for this approval: nothing is rejected" });
    return;
  }
  if (mine.current.physicalId !== event.PhysicalResourceId) {
    mine.current.policy.listed.forEach((id) => keep.add(id));
    await reject(deps, event, serviceId, props.policy.listed.filter((id) => !keep.has(id)), keep, mine.current.onRemoval);
    await deps.store.put(approvalId, { current: mine.current });
    return;
  }
  if (mine.previous) {
    await deps.store.put(approvalId, { current: mine.previous });
    logEvent("skipped", { serviceId, reason: "rolled back to the previous list: nothing is rejected" });
    return;
  }
  await reject(deps, event, serviceId, props.policy.listed.filter((id) => !keep.has(id)), keep, props.onRemoval);
  await deps.store.delete(serviceId, approvalId);
}
async function reject(deps, event, serviceId, removed, keep, onRemoval) {
  if (onRemoval === "leave" || removed.length === 0) {
    removed.forEach((endpointId) => logDecision(serviceId, "Delete", { endpointId, action: "leave", reason: "removed from the list; onRemoval is leave" }));
    return;
  }
  const direction = await stackDirection(deps.cloudformation, event.StackId);
  if (direction !== "forward") {
    if (direction === "rollback") {
      logEvent("skipped", { serviceId, reason: "the stack is rolling back: nothing is rejected" });
      return;
    }
    throw new Error(`Cannot read the status of the stack (cloudformation:DescribeStacks), so the connections of ${removed.join(", ")} to ${serviceId} were not rejected. Check the permissions of the approval handler and retry, or reject them yourself.`);
  }
  try {
    await rejectRemoved(deps, serviceId, removed, keep);
  } catch (error) {
    if (!/NotFound/.test(error.name)) throw error;
    logEvent("skipped", { serviceId, reason: `endpoint service is gone (${error.name})` });
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
function seconds(milliseconds) {
  return Math.floor(milliseconds / 1e3);
}

// lambda/approval/index.ts
var POLL_INTERVAL_MS = 1e4;
var dependencies;
function realDependencies() {
  const tableName = process.env[APPROVAL_TABLE_ENV];
  if (!tableName) throw new Error(`The environment variable ${APPROVAL_TABLE_ENV} is not set.`);
  dependencies ??= {
    ec2: newEc2Client(),
    cloudformation: new import_client_cloudformation2.CloudFormationClient(SDK_RETRY),
    store: new ApprovalStore(new import_client_dynamodb2.DynamoDBClient(SDK_RETRY), tableName),
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
  if ("Records" in event) return onNotification(event, deps);
  return onEvent(event, deps, remainingMs);
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  handle,
  handler
});
