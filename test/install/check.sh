#!/usr/bin/env bash
# Installs the npm tarball that `npx projen build` writes to dist/js into a fresh project with
# the newest aws-cdk-lib release (pinned by package-lock.json here; the build itself runs on
# the floor of the peer dependency), type-checks the example app against the installed package
# with TypeScript 5, and synthesizes it with every CloudFormation validation warning as an error.
# Needs the npm registry only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shopt -s nullglob
tarballs=("$root"/dist/js/cdk-privatelink@*.jsii.tgz)
if [ "${#tarballs[@]}" -ne 1 ]; then
  echo "install check: expected one tarball in dist/js, found ${#tarballs[@]}: run 'npx projen build' first" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$here/tsconfig.json" "$work/"
mkdir "$work/examples"
cp "$root"/examples/*.ts "$root"/examples/*.pem "$work/examples/"
# The example app imports the library's source; a user imports the package.
sed -i "s#from '\.\./src'#from 'cdk-privatelink'#" "$work"/examples/*.ts
if grep -n "\.\./src" "$work"/examples/*.ts; then
  echo "install check: the example app still imports ../src" >&2
  exit 1
fi

cd "$work"
npm ci --no-audit --no-fund --loglevel=error
npm install --no-save --no-audit --no-fund --loglevel=error "${tarballs[0]}"
node -e '
  const installed = require("aws-cdk-lib/package.json").version;
  const pinned = require("./package.json").dependencies["aws-cdk-lib"];
  if (installed !== pinned) throw new Error(`aws-cdk-lib ${installed} is installed, expected ${pinned}`);
  console.log(`install check: cdk-privatelink ${require("cdk-privatelink/package.json").version} with aws-cdk-lib ${installed}`);
'
npx tsc -p tsconfig.json
# Exports load on first use (build-tools/lazy-exports.ts): a consumer-only app loads no approval module.
node -e '
  const loaded = () => Object.keys(require.cache).filter(file => file.includes("/node_modules/cdk-privatelink/lib/"));
  const library = require("cdk-privatelink");
  if (loaded().length !== 1) throw new Error(`install check: loading the package loaded ${loaded().length} of its modules, expected 1`);
  if (typeof library.InterfaceEndpoint !== "function") throw new Error("install check: InterfaceEndpoint is not exported");
  const approval = loaded().filter(file => file.includes("/lib/approval/"));
  if (approval.length) throw new Error(`install check: InterfaceEndpoint loaded ${approval.join(", ")}`);
  console.log(`install check: InterfaceEndpoint loads ${loaded().length} modules of the package, none of the approval`);
'
# ... and an ES module imports them by name (Node.js reads the names from the CommonJS source).
cat > esm-import.mjs <<'ESM'
import { ConnectionNotificationSource, InterfaceEndpoint, PrivateEndpointService, TrustedScope } from 'cdk-privatelink';
for (const [name, value] of Object.entries({ ConnectionNotificationSource, InterfaceEndpoint, PrivateEndpointService, TrustedScope })) {
  if (typeof value !== 'function') throw new Error(`install check: import { ${name} } from an ES module gave ${typeof value}`);
}
console.log('install check: named imports from an ES module work');
ESM
node esm-import.mjs

# The CLI would read cdk.context.json (the example's Availability Zones); the app run directly gets it here.
context=$(node -e '
  const context = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(JSON.stringify({ ...context, "@aws-cdk/core:strictCfnValidateErrors": true }));
' "$root/cdk.context.json")
CDK_OUTDIR="$work/cdk.out" CDK_CONTEXT_JSON="$context" npx ts-node examples/app.ts
if node -e 'process.exit(Object.values(require("./cdk.out/manifest.json").missing ?? {}).length ? 0 : 1)'; then
  echo "install check: the example app needs context that cdk.context.json lacks" >&2
  exit 1
fi
templates=(cdk.out/*.template.json)
for stack in PrivateLinkProvider PrivateLinkConsumer WorkloadAccess; do
  if [ ! -s "cdk.out/$stack.template.json" ]; then
    echo "install check: no template for $stack in ${templates[*]}" >&2
    exit 1
  fi
done
node -e '
  const { readFileSync } = require("fs");
  const template = JSON.parse(readFileSync("cdk.out/PrivateLinkProvider.template.json", "utf8"));
  const types = Object.values(template.Resources).map(r => r.Type);
  for (const type of ["AWS::EC2::VPCEndpointService", "Custom::VpcEndpointConnectionApproval"]) {
    if (!types.includes(type)) throw new Error(`the provider template has no ${type}`);
  }
'
echo "install check: ${#templates[@]} templates synthesized with strict CloudFormation validation"
# Every prop of the newest aws-cdk-lib endpoint constructs has an equivalent or a reason (README "Migrating from aws-cdk-lib").
node "$root/test/parity/check.js" "$work"
