/**
 * @module common/ajv — a JSON Schema 2020-12 validator (Ajv) with the standard formats, for capability documents and
 * tool schemas alike.
 */
import { Ajv2020, type Options } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: the default import is the plugin itself under Node, its namespace under some loaders.
const plugin = addFormatsModule as unknown as { default?: (a: Ajv2020) => void } & ((a: Ajv2020) => void);
const addFormats = plugin.default ?? plugin;

export function createAjv(options: Options): Ajv2020 {
  const ajv = new Ajv2020(options);
  addFormats(ajv);
  return ajv;
}
