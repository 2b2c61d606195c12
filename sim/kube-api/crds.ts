/**
 * CustomResourceDefinitions, enough for nodecast's own (deploy/forecastoverride-crd.yaml): creating
 * or updating a CRD serves its custom resource from then on (discovery, list, watch, CRUD,
 * /status), objects are validated by the version's openAPIV3Schema (ajv; the 422 Status names
 * each field as the real server does), and `kubectl get` prints its additionalPrinterColumns.
 * Not modelled: pruning of unknown fields, defaulting, conversion, CEL rules; deleting a CRD
 * leaves its resource served.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FieldCause, PrinterColumn, ResourceDef, Subresource } from './resources.js';
import type { KubeObject } from './selectors.js';
import { ApiError } from './status.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

// ajv-formats is CommonJS: its default export is the plugin, sometimes wrapped once more.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;
const ajv = addFormats(new Ajv({ strict: false, allErrors: true, validateFormats: true }));

export type { FieldCause } from './resources.js';

/** OpenAPI v3's `nullable: true` as JSON Schema: the type also admits null. */
function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Obj = {};
  for (const [k, v] of Object.entries(schema as Obj)) out[k] = toJsonSchema(v);
  if (out.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}

function fieldOf(e: ErrorObject): string {
  const path = e.instancePath
    .split('/')
    .filter((s) => s !== '')
    .map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`))
    .join('')
    .replace(/^\./, '');
  if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    return path ? `${path}.${missing}` : missing;
  }
  return path;
}

function causeOf(e: ErrorObject, data: unknown): FieldCause {
  const field = fieldOf(e);
  const value = e.instancePath
    .split('/')
    .filter((s) => s !== '')
    .reduce<unknown>((cur, k) => obj(cur)[k] ?? (Array.isArray(cur) ? cur[Number(k)] : undefined), data);
  if (e.keyword === 'required') return { reason: 'FieldValueRequired', field, message: 'Required value' };
  if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v));
    return {
      reason: 'FieldValueNotSupported',
      field,
      message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.join(', ')}`,
    };
  }
  return {
    reason: 'FieldValueInvalid',
    field,
    message: `Invalid value: ${JSON.stringify(value)}: ${field} in body ${e.message ?? 'is invalid'}`,
  };
}

function compile(schema: unknown): (o: KubeObject) => FieldCause[] | undefined {
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(toJsonSchema(schema) as object);
  } catch (err) {
    throw new ApiError(422, 'Invalid', `invalid openAPIV3Schema: ${(err as Error).message}`);
  }
  return (o) => {
    // apiVersion, kind and metadata are the server's business, whatever the schema says.
    const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = o as Obj;
    if (validate(rest)) return undefined;
    return (validate.errors ?? []).map((e) => causeOf(e, rest));
  };
}

function printerColumns(version: Obj): PrinterColumn[] | undefined {
  const cols = version.additionalPrinterColumns;
  if (!Array.isArray(cols)) return undefined;
  return cols.map((c) => {
    const col = obj(c);
    return {
      name: String(col.name ?? ''),
      type: String(col.type ?? 'string'),
      jsonPath: String(col.jsonPath ?? ''),
    };
  });
}

/** The resource types a CRD defines (one per served version); 422 for a malformed CRD. */
export function crdResourceDefs(crd: KubeObject): ResourceDef[] {
  const spec = obj((crd as Obj).spec);
  const names = obj(spec.names);
  const group = str(spec.group);
  const plural = str(names.plural);
  const kind = str(names.kind);
  const name = crd.metadata?.name ?? '';
  const problems: string[] = [];
  if (!group) problems.push('spec.group: Required value');
  if (!plural) problems.push('spec.names.plural: Required value');
  if (!kind) problems.push('spec.names.kind: Required value');
  const versions = Array.isArray(spec.versions) ? spec.versions.map(obj) : [];
  if (versions.length === 0) problems.push('spec.versions: Invalid value: must have at least one version');
  if (group && plural && name !== `${plural}.${group}`)
    problems.push(`metadata.name: Invalid value: "${name}": must be spec.names.plural+"."+spec.group`);
  if (problems.length > 0) {
    throw new ApiError(
      422,
      'Invalid',
      `CustomResourceDefinition.apiextensions.k8s.io "${name}" is invalid: ${problems.join(', ')}`,
      { name, group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
    );
  }
  return versions
    .filter((v) => v.served !== false)
    .map((v): ResourceDef => {
      const sub = obj(v.subresources);
      const subresources: Subresource[] = [
        ...(sub.status ? (['status'] as const) : []),
        ...(sub.scale ? (['scale'] as const) : []),
      ];
      const schema = obj(v.schema).openAPIV3Schema;
      const columns = printerColumns(v);
      return {
        group: group!,
        version: String(v.name),
        plural: plural!,
        singular: str(names.singular) ?? kind!.toLowerCase(),
        kind: kind!,
        namespaced: spec.scope !== 'Cluster',
        shortNames: Array.isArray(names.shortNames) ? names.shortNames.map(String) : [],
        ...(Array.isArray(names.categories) ? { categories: names.categories.map(String) } : {}),
        subresources,
        ...(schema ? { validate: compile(schema) } : {}),
        ...(columns ? { printerColumns: columns } : {}),
      };
    });
}

/** The 422 the real server answers for an object its CRD's schema refuses. */
export function schemaInvalid(def: ResourceDef, o: KubeObject, causes: readonly FieldCause[]): ApiError {
  const name = o.metadata?.name ?? '';
  const clauses = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
  const err = new ApiError(422, 'Invalid', `${def.kind}.${def.group} "${name}" is invalid: ${clauses}`, {
    name,
    group: def.group,
    kind: def.kind,
  });
  (err.details as Obj).causes = causes.map((c) => ({ ...c }));
  return err;
}
