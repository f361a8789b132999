import { awscdk, javascript } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

const examplesOut = 'examples/cdk.out';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-privatelink',
  description: 'Share and consume services over AWS PrivateLink safely: endpoint services, allowed principals, connection notifications, private DNS.',
  keywords: ['cdk', 'aws-cdk', 'privatelink', 'vpc-endpoint', 'endpoint-service', 'awscdk'],
  author: 'cdk-privatelink developers',
  authorAddress: 'dev@cdk-privatelink.invalid',
  repositoryUrl: 'https://github.com/cdk-privatelink/cdk-privatelink.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // The floor: every CloudFormation property used here exists in this version.
  cdkVersion: '2.257.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',

  // Code for these languages is generated (not packaged) by `bindings:check`.
  publishToPypi: { distName: 'cdk-privatelink', module: 'cdk_privatelink' },
  publishToMaven: {
    javaPackage: 'io.github.cdkprivatelink',
    mavenGroupId: 'io.github.cdk-privatelink',
    mavenArtifactId: 'cdk-privatelink',
  },
  publishToNuget: { dotNetNamespace: 'CdkPrivatelink', packageId: 'CdkPrivatelink' },
  publishToGo: { moduleName: 'github.com/cdk-privatelink/cdk-privatelink-go' },

  // CI is `.ci/run`; nothing here talks to GitHub.
  github: false,
  release: false,
  depsUpgrade: false,

  experimentalIntegRunner: true,
  lambdaAutoDiscover: false,

  tsconfigDevFile: 'tsconfig.dev.json',
  tsconfigDev: { compilerOptions: {}, include: ['lambda/**/*.ts', 'examples/**/*.ts', 'benchmark/**/*.ts', '.projenrc.ts'] },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['lambda', 'test', 'examples', 'benchmark', 'build-tools', 'projenrc', '.projenrc.ts'],
    projectService: false,
    tsconfigPath: './tsconfig.dev.json',
  },

  // The Public Suffix List, for private DNS names (src/validation/dns-name.ts). A jsii library
  // ships its runtime dependencies inside its npm package.
  bundledDeps: ['tldts@^7'],

  devDeps: [
    'aws-cdk@^2.1100.0',
    'cdk-nag@^3',
    // The Control Tower rules of cfn-guard, run on the library's templates in test/compliance.
    '@cdklabs/cdk-validator-cfnguard@^0.0.62',
    // The jsii runtime process that Python, Java, .NET and Go start; test/jsii/kernel.test.ts talks to it.
    '@jsii/runtime@^1.140.0',
    'fast-check@^4',
    // The approval handler (lambda/): the SDK clients come from the Lambda runtime, see README.
    '@aws-sdk/client-ec2@^3',
    '@aws-sdk/client-cloudformation@^3',
    '@types/aws-lambda@^8',
    'esbuild@^0.28',
    'aws-sdk-client-mock@^4',
    '@smithy/protocol-http',
  ],

  jestOptions: {
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // Jest's default in CI is one worker on two cores; the tests share no files, so use both.
      maxWorkers: '100%',
    },
    // .ci/run reads the totals from this report.
    extraCliOptions: ['--json', '--outputFile=test-reports/jest.json'],
  },

  gitignore: ['/assets/', examplesOut, '/dist/bindings', '.cdk.staging', 'cdk.out', '*.tabl.json', '/test-reports/', '/.jsii.python'],
});

// @jsii/runtime declares @jsii/kernel@^1.140.0, which the registry this project reaches does not have
// (only 1.22.0). The runtime process (webpack/bin/jsii-runtime.js, what the other languages start) is a
// self-contained bundle of its own kernel and never loads the separate package; only its unbundled lib/
// would. The override satisfies the declaration; test/jsii/kernel.test.ts checks the runtime's version.
// Drop it once the registry has @jsii/kernel 1.140.
project.package.addField('overrides', { '@jsii/runtime': { '@jsii/kernel': '1.22.0' } });

for (const pattern of ['/examples/', '/.ci/', '/rosetta/', '*.snapshot/', 'cdk.context.json', '/lambda/', '/benchmark/', '/build-tools/', '/docs/', '/.jsii.python']) {
  project.addPackageIgnore(pattern);
}

const env = { JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' };
for (const name of ['compile', 'docgen', 'package:js']) {
  for (const [key, value] of Object.entries(env)) project.tasks.tryFind(name)?.env(key, value);
}

// The approval handler is bundled into one file that ships in the npm package (assets/), so
// consumers in any language need no bundler. The AWS SDK is the Lambda runtime's (README).
const bundle = project.addTask('bundle:handlers', {
  description: 'Bundle the Lambda handlers in lambda/ into assets/ with esbuild',
  exec: [
    'esbuild lambda/approval/index.ts --bundle --platform=node --target=node22 --format=cjs',
    '--external:@aws-sdk/* --legal-comments=none --log-level=warning --outfile=assets/approval-handler/index.js',
  ].join(' '),
});
project.preCompileTask.spawn(bundle);
// Tests synthesize the handler asset too, also when run on their own.
project.testTask.prependSpawn(bundle);

// Each export of lib/ is loaded on first use, as in aws-cdk-lib (build-tools/lazy-exports.ts).
project.compileTask.exec('ts-node --transpile-only --project tsconfig.dev.json build-tools/lazy-exports.ts lib');

// README examples must compile against the assembly (jsii-rosetta, strict).
const rosetta = project.addTask('rosetta:extract', {
  description: 'Compile the README examples with jsii-rosetta (strict)',
  env,
  // --batch: one TypeScript program for all snippets (about 15 s instead of 50 on two cores; the same tablet).
  exec: 'jsii-rosetta extract --strict --fail --batch',
});
project.postCompileTask.spawn(rosetta);

// The Python API reference (jsii-docgen) and the README with its examples in Python (jsii-rosetta, from
// the tablet of rosetta:extract), committed in docs/python and checked by test/jsii/python-docs.test.ts.
const pythonDocs = project.addTask('docgen:python', {
  description: 'Write the Python API reference and the README in Python into docs/python/',
  env,
  steps: [
    { exec: 'jsii-docgen --language python --output docs/python/API.md' },
    { exec: 'jsii-rosetta transliterate --language python --tablet .jsii.tabl.json --strict' },
    { exec: 'ts-node --project tsconfig.dev.json test/jsii/python-readme.ts .' },
  ],
});
project.postCompileTask.spawn(pythonDocs);

// Every TypeScript file outside src/ (tests, integ apps, examples, benchmarks, handlers) is type-checked
// once here, so that the integ apps can run transpile-only (about 40 s instead of 135 for the six).
const typecheck = project.addTask('typecheck', {
  description: 'Type-check tests, integ apps, examples, benchmarks and handlers (tsconfig.dev.json)',
  exec: 'tsc --noEmit -p tsconfig.dev.json',
});
project.testTask.spawn(typecheck);
project.tasks.tryFind('integ')!.env('TS_NODE_TRANSPILE_ONLY', 'true');

// Python, Java, .NET and Go code is generated as a check; packaging them would need
// registries this project cannot reach.
const bindings = project.addTask('bindings:check', {
  description: 'Generate Python, Java, .NET and Go code with jsii-pacmak --code-only',
  env,
  exec: 'jsii-pacmak --code-only --target python --target java --target dotnet --target go --outdir dist/bindings',
});
project.packageTask.reset();
project.packageTask.spawn(project.tasks.tryFind('package:js')!);
project.packageTask.spawn(bindings);
project.tasks.tryFind('package-all')?.reset();
project.tasks.tryFind('package-all')?.spawn(project.packageTask);
for (const language of ['python', 'java', 'dotnet', 'go']) project.removeTask(`package:${language}`);

// The npm tarball installs into a fresh project with the newest aws-cdk-lib release (pinned in
// test/install/package-lock.json) and synthesizes the example app with strict CloudFormation
// validation; the build itself runs on the floor of the peer dependency.
const installCheck = project.addTask('check:install', {
  description: 'Install dist/js into a fresh project with the newest aws-cdk-lib and synthesize the example app (strict validation)',
  env: { ...env, CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true' },
  exec: 'bash test/install/check.sh',
});
project.packageTask.spawn(installCheck);

// Integ snapshots are made without deploying (no AWS account here); review their diff.
const integSnapshot = project.addTask('integ:snapshot', {
  description: 'Re-synthesize the integ test snapshots without deploying',
  env: { TS_NODE_TRANSPILE_ONLY: 'true' },
});
integSnapshot.spawn(bundle);
// --force: asset changes alone (the bundled handler) do not count as a change for integ-runner.
integSnapshot.exec('integ-runner --language typescript --update-on-failed --dry-run --force');

project.addTask('bench:approval', {
  description: 'Count the EC2 and CloudFormation calls and time of the approval handler on a large mocked service',
  exec: 'ts-node --project tsconfig.dev.json benchmark/approval.ts',
});

project.addTask('bench', {
  description: 'Platform-scale synthesis against plain aws-cdk-lib (newest release): time, peak memory, template bytes, resources, Lambda functions',
  exec: 'bash benchmark/newest-aws-cdk-lib.sh',
});

project.addTask('bench:synth', {
  description: 'Compare the synthesis time of cdk-privatelink with plain aws-cdk-lib',
  exec: 'ts-node --project tsconfig.dev.json benchmark/synth.ts',
});

// Quick start: synthesize the example app with the real CDK CLI, no AWS credentials needed.
project.addTask('synth:example', {
  description: 'Synthesize the example app with the AWS CDK CLI into examples/cdk.out',
  env: { CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true' },
  steps: [
    { spawn: bundle.name },
    { exec: `cdk synth --app "ts-node --project tsconfig.dev.json examples/app.ts" --output ${examplesOut} --no-notices --quiet` },
    { exec: `echo "Templates: $(ls ${examplesOut}/*.template.json | tr '\\n' ' ')"` },
  ],
});

// Versions are set by hand until a release pipeline exists; CHANGELOG.md lists what users see.
project.package.addVersion('0.1.0');

project.synth();
