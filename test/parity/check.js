'use strict';
/**
 * node test/parity/check.js <dir>
 *
 * <dir> is an aws-cdk-lib install (.../node_modules/aws-cdk-lib) or a project that has one.
 * Exits 1 with the problems when a prop or static member of aws-cdk-lib's InterfaceVpcEndpoint,
 * GatewayVpcEndpoint or VpcEndpointService is neither mapped nor left out in
 * test/parity/aws-cdk-lib-props.json (or a mapping is wrong); exits 0 otherwise.
 */
const fs = require('fs');
const path = require('path');
const { check } = require('./list-props');

function awsCdkLibDir(given) {
  const dir = path.resolve(given);
  if (fs.existsSync(path.join(dir, 'aws-ec2', 'lib', 'vpc-endpoint.d.ts'))) return dir;
  const nested = path.join(dir, 'node_modules', 'aws-cdk-lib');
  if (fs.existsSync(path.join(nested, 'aws-ec2', 'lib', 'vpc-endpoint.d.ts'))) return nested;
  throw new Error(`No aws-cdk-lib in ${dir}: expected the aws-cdk-lib directory, or a project with node_modules/aws-cdk-lib.`);
}

const given = process.argv[2];
if (!given) {
  process.stderr.write('usage: node test/parity/check.js <aws-cdk-lib dir or project dir>\n');
  process.exit(2);
}
try {
  const mapping = JSON.parse(fs.readFileSync(path.join(__dirname, 'aws-cdk-lib-props.json'), 'utf8'));
  const result = check(awsCdkLibDir(given), mapping, { details: true });
  if (result.problems.length > 0) {
    process.stderr.write(`parity: ${result.problems.length} problem(s) with aws-cdk-lib ${result.version}:\n`);
    result.problems.forEach(p => process.stderr.write(`  - ${p}\n`));
    process.exit(1);
  }
  process.stdout.write(`parity: ${result.count} props of aws-cdk-lib ${result.version} mapped or left out\n`);
} catch (error) {
  process.stderr.write(`parity: ${error.message}\n`);
  process.exit(1);
}
