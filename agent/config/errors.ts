/** Configuration errors: every problem found, each naming its field path (and file position). */
export interface ConfigIssue {
  /** Field path such as `nodeGroups[2].max`, or the environment variable name for env errors. */
  readonly path: string;
  readonly message: string;
  /** 1-based position in the YAML text, when the field is present in it. */
  readonly line?: number;
  readonly column?: number;
}

export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];
  readonly source: string;

  constructor(issues: readonly ConfigIssue[], source = 'configuration') {
    const lines = issues.map((issue) => `  - ${formatIssue(issue)}`);
    const noun = issues.length === 1 ? 'problem' : 'problems';
    super(`invalid ${source} (${issues.length} ${noun}):\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
    this.source = source;
  }
}

export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line === undefined ? '' : ` (line ${issue.line}, column ${issue.column ?? 1})`;
  return `${issue.path}: ${issue.message}${where}`;
}

/** Path segments -> `nodeGroups[2].nodeSelector["nodecast.io/node-group"]`. */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out || '(root)';
}
