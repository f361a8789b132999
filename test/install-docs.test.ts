import { readFileSync } from 'fs';
import { join } from 'path';

const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const installProject = JSON.parse(readFileSync(join(root, 'test', 'install', 'package.json'), 'utf8'));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const install = readme.slice(readme.indexOf('## Install\n'), readme.indexOf('## Quick start'));
const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
const { java, python, dotnet, go } = pkg.jsii.targets;

describe('README "Install" matches what the build configures (.projenrc.ts)', () => {
  test('names each language\'s package and import as jsii generates them', () => {
    expect(install).toContain(`npm \`${pkg.name}\``);
    expect(install).toContain(`PyPI \`${python.distName}\``);
    expect(install).toContain(`from ${python.module} import`);
    expect(install).toContain(`Maven \`${java.maven.groupId}:${java.maven.artifactId}\``);
    expect(install).toContain(`import ${java.package}.`);
    expect(install).toContain(`NuGet \`${dotnet.packageId}\``);
    expect(install).toContain(`using ${dotnet.namespace};`);
    // jsii puts the Go package in a directory named after the npm name, without dashes.
    expect(install).toContain(`module \`${go.moduleName}/${pkg.name.replace(/-/g, '')}\``);
  });

  test('the tarball name, the version and the supported ranges are the package\'s', () => {
    expect(install).toContain(`dist/js/${pkg.name}@${pkg.version}.jsii.tgz`);
    expect(install).toContain(`cdk-privatelink ${pkg.version} is`);
    expect(install).toContain(`peer dependency \`${pkg.peerDependencies['aws-cdk-lib']}\``);
    expect(install).toContain(`**constructs** \`${pkg.peerDependencies.constructs}\``);
    expect(install).toContain(`the build runs on ${pkg.devDependencies['aws-cdk-lib']}`);
    expect(install).toContain(`the newest release it pins, ${installProject.dependencies['aws-cdk-lib']}`);
  });

  test('the install check pins exact versions, within the peer dependency range', () => {
    for (const version of Object.values({ ...installProject.dependencies, ...installProject.devDependencies })) {
      expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    }
    const [major, minor] = installProject.dependencies['aws-cdk-lib'].split('.').map(Number);
    const [floorMajor, floorMinor] = pkg.peerDependencies['aws-cdk-lib'].replace('^', '').split('.').map(Number);
    expect(major).toBe(floorMajor);
    expect(minor).toBeGreaterThanOrEqual(floorMinor);
    expect(installProject.devDependencies.typescript).toMatch(/^5\./);
  });

  test('CHANGELOG.md has an entry for the package version', () => {
    expect(pkg.version).not.toBe('0.0.0');
    expect(changelog).toMatch(new RegExp(`^## ${pkg.version.replace(/\./g, '\\.')}\\b`, 'm'));
  });
});
