/** Types of list-props.js (plain CommonJS, so that the install check runs it with Node.js alone). */

/** One entry of aws-cdk-lib-props.json. */
export interface ParityEntry {
  /** This library's `<Type>.<member>` (or several) that does what aws-cdk-lib's member does. */
  readonly mapped?: string | string[];
  /** Why this library has no equivalent. */
  readonly leftOut?: string;
  /** The first aws-cdk-lib version with the member, when that is newer than the floor. */
  readonly since?: string;
  readonly note?: string;
}

export interface ParityMapping {
  readonly floor: string;
  readonly types: Record<string, Record<string, ParityEntry>>;
}

export interface CheckOptions {
  /** This library's TypeScript sources. Default: src/ of this repository. */
  readonly srcDir?: string;
  readonly details?: boolean;
}

export interface ListedAwsCdkLib {
  readonly version: string;
  readonly types: Record<string, string[]>;
  readonly problems: string[];
}

export const FILES: string[];
export const INTERFACES: string[];
export const CLASSES: string[];
export function listAwsCdkLib(awsCdkLibDir: string): ListedAwsCdkLib;
export function listOwnSources(srcDir: string): Map<string, string[]>;
export function compareVersions(a: string, b: string): number;
export function check(awsCdkLibDir: string, mapping: ParityMapping, options?: CheckOptions & { details?: false }): string[];
export function check(awsCdkLibDir: string, mapping: ParityMapping, options: CheckOptions & { details: true }): { version: string; count: number; problems: string[] };
