/**
 * Request validation with our own Ajv instances: request bodies are strict (no type coercion, no
 * silently dropped unknown fields: an unknown field is a 400 naming it), while querystrings and
 * path params coerce, as they arrive as strings.
 */
import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS: under NodeNext its default export is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

const common: Options = {
  allErrors: false,
  removeAdditional: false,
  useDefaults: true,
  allowUnionTypes: true,
};

function makeAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ ...common, coerceTypes });
  addFormats(ajv);
  return ajv;
}

// Compiled validators are pure functions of their schema, and the route schemas are module
// constants: compile each once per process, however many servers are built (tests build many).
let shared: { strict: Ajv; coercing: Ajv; cache: WeakMap<object, ReturnType<Ajv['compile']>>[] } | undefined;

export function validatorCompiler(): FastifySchemaCompiler<unknown> {
  shared ??= { strict: makeAjv(false), coercing: makeAjv(true), cache: [new WeakMap(), new WeakMap()] };
  const { strict, coercing, cache } = shared;
  return ({ schema, httpPart }) => {
    const body = httpPart === 'body';
    const byPart = cache[body ? 0 : 1]!;
    let fn = byPart.get(schema as object);
    if (!fn) {
      fn = (body ? strict : coercing).compile(schema as object);
      byPart.set(schema as object, fn);
    }
    return fn;
  };
}
