/**
 * Names of props, methods and enum members as the caller's language spells them. The jsii
 * runtime of each language sets `JSII_AGENT` (`Python/3.12.1`, `Java/21`, `DotNet/8.0`,
 * `go1.22.1/linux/amd64`); without it the caller is JavaScript or TypeScript.
 */
export enum CallerLanguage {
  TYPESCRIPT = 'TypeScript',
  PYTHON = 'Python',
  JAVA = 'Java',
  DOTNET = '.NET',
  GO = 'Go',
}

/** The language whose jsii runtime runs this process, from `JSII_AGENT`. */
export function callerLanguage(agent: string | undefined = process.env.JSII_AGENT): CallerLanguage {
  if (!agent) return CallerLanguage.TYPESCRIPT;
  if (/^python/i.test(agent)) return CallerLanguage.PYTHON;
  if (/^java\b/i.test(agent) || /^java\//i.test(agent)) return CallerLanguage.JAVA;
  if (/^(dotnet|\.net)/i.test(agent)) return CallerLanguage.DOTNET;
  if (/^go(lang)?[\d/]/i.test(agent)) return CallerLanguage.GO;
  return CallerLanguage.TYPESCRIPT;
}

function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

function pascalCase(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * A prop (struct field) as the caller writes it: `acceptanceRequired` in TypeScript and Java,
 * `acceptance_required` in Python (keyword arguments and dict keys), `AcceptanceRequired` in
 * .NET and Go.
 */
export function propName(name: string, language = callerLanguage()): string {
  switch (language) {
    case CallerLanguage.PYTHON: return snakeCase(name);
    case CallerLanguage.DOTNET:
    case CallerLanguage.GO: return pascalCase(name);
    default: return name;
  }
}

/**
 * A method as the caller calls it, with `()`: `approveEndpoints()` in TypeScript and Java,
 * `approve_endpoints()` in Python, `ApproveEndpoints()` in .NET and Go. With `type`, a static
 * method: `AllowedPrincipal.everyone()`, in Go `AllowedPrincipal_Everyone()`.
 */
export function methodName(name: string, type?: string, language = callerLanguage()): string {
  const member = language === CallerLanguage.PYTHON ? snakeCase(name)
    : language === CallerLanguage.DOTNET || language === CallerLanguage.GO ? pascalCase(name) : name;
  if (!type) return `${member}()`;
  return `${type}${language === CallerLanguage.GO ? '_' : '.'}${member}()`;
}

/** An enum member as the caller writes it: `EndpointRemoval.REJECT`, in Go `EndpointRemoval_REJECT`. */
export function enumMemberName(type: string, member: string, language = callerLanguage()): string {
  return `${type}${language === CallerLanguage.GO ? '_' : '.'}${member}`;
}
