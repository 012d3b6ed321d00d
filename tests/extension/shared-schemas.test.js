/**
 * The examples in shared-schemas/ against the extension's precompiled validators: the same files
 * pytest checks against the JSON Schemas and the server's marshmallow schemas. And the validators
 * module is what scripts/build-validators.mjs makes from the committed schemas now.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTPUT, SHARED_SCHEMAS, buildValidatorsSource, exportName, readSchemas } from '../../extension/scripts/build-validators.mjs';
import * as validators from '../../extension/src/background/validators.js';

const schemas = readSchemas();
const examples = (verdict) =>
  schemas.flatMap((schema) => {
    const folder = join(SHARED_SCHEMAS, 'examples', schema.title, verdict);
    return readdirSync(folder).map((file) => [schema.title, file, JSON.parse(readFileSync(join(folder, file), 'utf8'))]);
  });

describe('the shared examples', () => {
  it.each(examples('valid'))('%s: valid/%s passes', (name, _file, instance) => {
    const validate = validators[exportName(name)];
    expect(validate(instance), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(examples('invalid'))('%s: invalid/%s fails', (name, _file, instance) => {
    expect(validators[exportName(name)](instance)).toBe(false);
  });

  it('cover every schema, both ways', () => {
    for (const schema of schemas) {
      expect(examples('valid').some(([name]) => name === schema.title), schema.title).toBe(true);
      expect(examples('invalid').some(([name]) => name === schema.title), schema.title).toBe(true);
    }
  });
});

describe('src/background/validators.js', () => {
  it('is what build-validators makes from the committed schemas (run `npm run build:validators`)', () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(buildValidatorsSource());
  });

  it('has one validator per schema and nothing MV3 forbids', () => {
    expect(Object.keys(validators).sort()).toEqual(schemas.map((schema) => exportName(schema.title)).sort());
    const source = readFileSync(OUTPUT, 'utf8');
    expect(source).not.toMatch(/\beval\(|new Function|require\(|\bimport\b/);
  });
});
