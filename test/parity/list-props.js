'use strict';
/**
 * Lists the props of aws-cdk-lib's VPC endpoint types from their type declarations, and checks
 * them against test/parity/aws-cdk-lib-props.json.
 *
 *   node test/parity/list-props.js <aws-cdk-lib dir>   prints {"<type>": ["<member>", ...], ...}
 *
 * Plain CommonJS, no dependency but `typescript`, resolved from the aws-cdk-lib install's project
 * or from this repository.
 */
const fs = require('fs');
const path = require('path');

/** The declaration files read, relative to the aws-cdk-lib directory. */
const FILES = ['aws-ec2/lib/vpc-endpoint.d.ts', 'aws-ec2/lib/vpc-endpoint-service.d.ts'];

/** Interfaces listed with all their props, inherited ones included. */
const INTERFACES = ['InterfaceVpcEndpointProps', 'GatewayVpcEndpointProps', 'VpcEndpointServiceProps', 'InterfaceVpcEndpointAttributes'];

/** Classes listed with their public static members (methods and constants). */
const CLASSES = ['InterfaceVpcEndpoint', 'GatewayVpcEndpoint', 'VpcEndpointService'];

/** The `typescript` module: from the project of `dir` (walking up from it), else from this repository. */
function loadTypescript(dir) {
  const file = require.resolve('typescript', { paths: [dir, path.resolve(__dirname, '..', '..'), __dirname] });
  return require(file);
}

function hasModifier(ts, node, kind) {
  const modifiers = ts.canHaveModifiers && ts.canHaveModifiers(node) ? ts.getModifiers(node) : node.modifiers;
  return (modifiers || []).some(m => m.kind === kind);
}

function memberName(ts, member) {
  if (!member.name) return undefined;
  if (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name)) return member.name.text;
  return undefined;
}

/**
 * Interfaces and classes declared in `files` (each `{ name, text }`): for an interface its own
 * props and the names it extends, for a class its public members (static and instance).
 */
function declarations(ts, files) {
  const interfaces = new Map();
  const classes = new Map();
  for (const file of files) {
    const source = ts.createSourceFile(file.name, file.text, ts.ScriptTarget.Latest, true);
    const visit = node => {
      if (ts.isInterfaceDeclaration(node)) {
        const own = node.members.filter(m => ts.isPropertySignature(m) || ts.isMethodSignature(m)).map(m => memberName(ts, m)).filter(Boolean);
        const bases = (node.heritageClauses || []).flatMap(clause => clause.types.map(t => t.expression.getText(source)));
        const known = interfaces.get(node.name.text);
        interfaces.set(node.name.text, { own: [...(known ? known.own : []), ...own], bases: [...(known ? known.bases : []), ...bases], file: file.name });
      } else if (ts.isClassDeclaration(node) && node.name) {
        const members = { static: [], instance: [] };
        for (const m of node.members) {
          const name = memberName(ts, m);
          if (!name || name.startsWith('_') || ts.isConstructorDeclaration(m)) continue;
          if (hasModifier(ts, m, ts.SyntaxKind.PrivateKeyword) || hasModifier(ts, m, ts.SyntaxKind.ProtectedKeyword)) continue;
          if (m.name && ts.isPrivateIdentifier && ts.isPrivateIdentifier(m.name)) continue;
          (hasModifier(ts, m, ts.SyntaxKind.StaticKeyword) ? members.static : members.instance).push(name);
        }
        classes.set(node.name.text, { ...members, file: file.name });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { interfaces, classes };
}

/** The props of interface `name`, inherited ones first; `unresolved` gets bases not declared in the files. */
function propsOf(interfaces, name, unresolved, seen = new Set()) {
  const decl = interfaces.get(name);
  if (!decl || seen.has(name)) return [];
  seen.add(name);
  const inherited = decl.bases.flatMap(base => {
    const baseName = base.split('.').pop();
    if (!interfaces.has(baseName)) {
      unresolved.push(`${name} extends ${base}`);
      return [];
    }
    return propsOf(interfaces, baseName, unresolved, seen);
  });
  return [...new Set([...inherited, ...decl.own])];
}

/** aws-cdk-lib's version and its listed types: `{ version, types: { name: [members] }, problems }`. */
function listAwsCdkLib(awsCdkLibDir) {
  const ts = loadTypescript(awsCdkLibDir);
  const files = FILES.map(rel => ({ name: rel, text: fs.readFileSync(path.join(awsCdkLibDir, rel), 'utf8') }));
  const { interfaces, classes } = declarations(ts, files);
  const problems = [];
  const types = {};
  for (const name of INTERFACES) {
    if (!interfaces.has(name)) {
      problems.push(`aws-cdk-lib has no interface ${name} in ${FILES.join(', ')}`);
      continue;
    }
    const unresolved = [];
    types[name] = propsOf(interfaces, name, unresolved);
    unresolved.forEach(u => problems.push(`cannot follow ${u}: not declared in ${FILES.join(', ')}`));
  }
  for (const name of CLASSES) {
    if (!classes.has(name)) {
      problems.push(`aws-cdk-lib has no class ${name} in ${FILES.join(', ')}`);
      continue;
    }
    types[name] = classes.get(name).static;
  }
  const version = JSON.parse(fs.readFileSync(path.join(awsCdkLibDir, 'package.json'), 'utf8')).version;
  return { version, types, problems };
}

/** This library's interfaces (props with inherited ones) and classes (all public members), from the TypeScript sources. */
function listOwnSources(srcDir) {
  const ts = loadTypescript(srcDir);
  const files = [];
  const walk = dir => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push({ name: full, text: fs.readFileSync(full, 'utf8') });
    }
  };
  walk(srcDir);
  const { interfaces, classes } = declarations(ts, files);
  const members = new Map();
  for (const name of interfaces.keys()) members.set(name, propsOf(interfaces, name, []));
  for (const [name, decl] of classes) members.set(name, [...decl.static, ...decl.instance]);
  return members;
}

/** Compares dotted versions: negative if a < b. */
function compareVersions(a, b) {
  const pa = String(a).split('.').map(Number);
  const pb = String(b).split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] || 0) - (pb[i] || 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The problems of `mapping` against the aws-cdk-lib in `awsCdkLibDir`, as sentences naming the
 * member; empty when every member of aws-cdk-lib is mapped or left out. Checks:
 * - every listed member of aws-cdk-lib has an entry, with `mapped` or `leftOut` (a reason);
 * - every `mapped` target `<Type>.<member>` exists in this library's sources (`options.srcDir`);
 * - at the floor version (`mapping.floor`) only: no entry for a member aws-cdk-lib lacks, unless
 *   the entry's `since` names a later version (a member only newer releases have), and no `since`
 *   on a member the floor has already.
 * Returns `{ version, count, problems }` when `options.details` is set, else the problems.
 */
function check(awsCdkLibDir, mapping, options = {}) {
  const listed = listAwsCdkLib(awsCdkLibDir);
  const problems = [...listed.problems];
  const own = listOwnSources(options.srcDir || path.resolve(__dirname, '..', '..', 'src'));
  const types = (mapping && mapping.types) || {};
  const atFloor = mapping && mapping.floor !== undefined && compareVersions(listed.version, mapping.floor) === 0;
  let count = 0;

  for (const [type, members] of Object.entries(listed.types)) {
    const entries = types[type] || {};
    for (const member of members) {
      count++;
      const entry = entries[member];
      if (!entry) {
        problems.push(`${type}.${member} of aws-cdk-lib ${listed.version} is neither mapped nor left out in aws-cdk-lib-props.json`);
        continue;
      }
      if (atFloor && entry.since !== undefined && compareVersions(entry.since, listed.version) > 0) {
        problems.push(`${type}.${member} has "since": "${entry.since}", but aws-cdk-lib ${listed.version} (the floor) has it already`);
      }
    }
  }

  for (const [type, entries] of Object.entries(types)) {
    const members = listed.types[type];
    if (!members) {
      if (!listed.problems.some(p => p.includes(` ${type} `))) problems.push(`${type} in aws-cdk-lib-props.json is not a listed type (listed: ${Object.keys(listed.types).join(', ')})`);
      continue;
    }
    for (const [member, entry] of Object.entries(entries)) {
      const where = `${type}.${member}`;
      const mapped = entry && entry.mapped;
      const leftOut = entry && entry.leftOut;
      if ((mapped === undefined) === (leftOut === undefined)) {
        problems.push(`${where}: expected either "mapped" or "leftOut", not ${mapped === undefined ? 'neither' : 'both'}`);
      }
      if (leftOut !== undefined && (typeof leftOut !== 'string' || leftOut.trim().length < 10)) {
        problems.push(`${where}: "leftOut" must give the reason, not ${JSON.stringify(leftOut)}`);
      }
      for (const target of mapped === undefined ? [] : [].concat(mapped)) {
        const [ownType, ownMember, ...rest] = String(target).split('.');
        if (!ownMember || rest.length > 0) {
          problems.push(`${where}: mapped target ${JSON.stringify(target)} is not "<Type>.<member>"`);
        } else if (!own.has(ownType)) {
          problems.push(`${where}: mapped to ${target}, but this library has no interface or class ${ownType}`);
        } else if (!own.get(ownType).includes(ownMember)) {
          problems.push(`${where}: mapped to ${target}, but ${ownType} has no member ${ownMember}`);
        }
      }
      const stale = !members.includes(member) && !(entry && entry.since !== undefined && compareVersions(entry.since, listed.version) > 0);
      if (atFloor && stale) {
        problems.push(`${where} is in aws-cdk-lib-props.json, but aws-cdk-lib ${listed.version} (the floor) has no such member: `
          + 'remove the stale entry, or give the version that added it as "since"');
      }
    }
  }
  return options.details ? { version: listed.version, count, problems } : problems;
}

module.exports = { listAwsCdkLib, listOwnSources, check, compareVersions, FILES, INTERFACES, CLASSES };

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node test/parity/list-props.js <aws-cdk-lib dir>\n');
    process.exit(2);
  }
  const listed = listAwsCdkLib(path.resolve(dir));
  listed.problems.forEach(p => process.stderr.write(`${p}\n`));
  process.stdout.write(`${JSON.stringify(listed.types, null, 2)}\n`);
  process.exit(listed.problems.length > 0 ? 1 : 0);
}
